"""A scenario's texts for activities: "what they said when asked" (perspective-getting) and the witness seat
(bystander rehearsal), optional, in each language; through files, the console's editor, the API and duplicates,
and never given to the engine."""

import json

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.api.conftest import token_for
from tests.facilitator.test_scenarios_editing import own_scenarios, scenario_form
from tests.scenarios.test_bilingual import bilingual, imported, refused
from workshop.scenarios.authoring import scenario_duplicate
from workshop.scenarios.languages import hangul_share
from workshop.scenarios.services import scenario_export
from workshop.tenancy.scope import organization_scope

SAID = "I wanted someone to ask me first. Nobody did."
KO_SAID = "누군가 먼저 물어봐 주길 바랐어요. 아무도 묻지 않았어요."
SEAT = "You sit at the next desk."
KO_SEAT = "당신은 옆자리에 앉아 있는 동료입니다."


def api(team) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(team, 'facilitator')}")
    return client


def test_at_least_six_library_scenarios_carry_both_texts_in_english_and_in_korean(db):
    with_texts = [s for s in factories.builtin_scenarios() if s.when_asked]
    assert len(with_texts) >= 6
    for scenario in with_texts:
        en, ko = scenario.localized("en"), scenario.localized("ko")
        assert en.when_asked and en.witness and ko.when_asked and ko.witness, scenario.slug
        assert hangul_share(en.when_asked) == 0 and hangul_share(en.witness) == 0, scenario.slug
        assert hangul_share(ko.when_asked) > 0.85 and hangul_share(ko.witness) > 0.85, scenario.slug
        assert "요." in ko.when_asked, f"{scenario.slug}: the person speaks, politely (해요체)"


def test_the_engine_never_reads_them(db):
    [scenario] = [s for s in factories.builtin_scenarios() if s.slug == "leaves-at-four"]
    for language in ("en", "ko"):
        spec = scenario.to_spec_dict(language)
        assert "when_asked" not in spec and "witness" not in spec
        assert scenario.localized(language).when_asked not in json.dumps(spec, ensure_ascii=False)


def test_a_file_carries_them_in_each_language_and_exports_them_again(org_a):
    data = {**bilingual(), "when_asked": SAID, "witness": SEAT}
    data["ko"] = {**data["ko"], "when_asked": KO_SAID, "witness": KO_SEAT}
    scenario = imported(org_a, data)
    assert (scenario.when_asked, scenario.witness) == (SAID, SEAT)
    assert (scenario.localized("ko").when_asked, scenario.localized("ko").witness) == (KO_SAID, KO_SEAT)
    exported = yaml.safe_load(scenario_export(scenarios=[scenario]))["scenarios"][0]
    assert exported["when_asked"] == SAID and exported["ko"]["when_asked"] == KO_SAID
    assert exported["ko"]["witness"] == KO_SEAT
    with organization_scope(org_a.org.id):
        copy = scenario_duplicate(organization=org_a.org, scenario=scenario)
    assert copy.localized("ko").when_asked == KO_SAID and copy.witness == SEAT


def test_a_scenario_without_them_reads_empty_and_keeps_its_version(org_a):
    scenario = imported(org_a, bilingual())
    assert scenario.when_asked == "" and scenario.localized("ko").witness == ""
    assert "when_asked" not in scenario.to_file_dict()
    again = imported(org_a, bilingual())
    assert again.pk == scenario.pk, "an unchanged file makes no new version"
    changed = imported(org_a, {**bilingual(), "when_asked": SAID})
    assert changed.version == 2


@pytest.mark.parametrize("changes, where", [
    ({"when_asked": "x" * 2001}, "scenario.when_asked"),
    ({"witness": ["a list"]}, "scenario.witness"),
    ({"ko": {"witness": "가" * 501}}, "scenario.ko.witness"),
])
def test_a_bad_text_names_its_field_and_imports_nothing(org_a, changes, where):
    data = bilingual()
    if "ko" in changes:
        data["ko"] = {**data["ko"], **changes["ko"]}
    else:
        data.update(changes)
    assert refused(org_a, data).startswith(where)


def test_the_editor_writes_both_languages_and_shows_them_again(client, org_a):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(
        when_asked=SAID, witness=SEAT, tr_title="사진", tr_when_asked=KO_SAID, tr_witness=KO_SEAT))
    assert response.status_code == 302, response.context["form"].errors
    [scenario] = own_scenarios(org_a)
    assert (scenario.when_asked, scenario.translations["ko"]["when_asked"]) == (SAID, KO_SAID)
    initial = client.get(reverse("facilitator:scenario_edit", args=[scenario.pk])).context["form"].initial
    assert (initial["witness"], initial["tr_witness"]) == (SEAT, KO_SEAT)
    detail = client.get(reverse("facilitator:scenario", args=[scenario.pk])).content.decode()
    assert "What they said when asked" in detail and KO_SAID in detail


def test_the_editor_names_a_text_that_is_too_long(client, org_a):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), scenario_form(witness="x" * 501))
    assert response.status_code == 200 and "witness" in response.context["form"].errors
    assert own_scenarios(org_a) == []


def test_the_api_reads_and_writes_them_and_an_old_client_does_not_drop_them(org_a):
    client = api(org_a)
    body = {"title": "Left off the invite", "narrative": "Sam finds out about the team dinner from photos.",
            "perspective": {"name": "Sam", "role": "Analyst"}, "emotions": [{"label": "hurt", "intensity": 0.7}],
            "themes": ["exclusion"], "when_asked": SAID,
            "translations": {"ko": {"witness": KO_SEAT}}}
    created = client.post("/api/v1/scenarios/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["when_asked"] == SAID and created.json()["translations"]["ko"]["witness"] == KO_SEAT
    old_client = {key: value for key, value in body.items() if key not in ("when_asked", "translations")}
    updated = client.put(f"/api/v1/scenarios/{created.json()['key']}/", {**old_client, "title": "Left off"},
                         format="json")
    assert updated.status_code == 200, updated.json()
    assert updated.json()["when_asked"] == SAID and updated.json()["version"] == 2
    too_long = client.post("/api/v1/scenarios/", {**body, "slug": "other", "witness": "x" * 501}, format="json")
    assert too_long.status_code == 400 and "witness" in json.dumps(too_long.json())


def test_an_outsider_never_reads_another_organizations_texts(org_a, org_b):
    scenario = imported(org_a, {**bilingual(), "when_asked": SAID})
    outsider = api(org_b)
    assert SAID not in json.dumps(outsider.get("/api/v1/scenarios/", {"page_size": 200}).json())
    assert outsider.get(f"/api/v1/scenarios/{scenario.slug}/").status_code == 404

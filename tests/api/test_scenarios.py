"""Scenarios over the API: the library is read-only; the organization's own are written and versioned."""

import pytest

from workshop.engine import EngineInputError, ScenarioSpec, analyze_scenario
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped

NEW = {"title": "Left off the invite", "narrative": "Sam finds out about the team dinner from photos.",
       "perspective": {"name": "Sam", "role": "Analyst"}, "emotions": [{"label": "hurt", "intensity": 0.7}],
       "themes": ["exclusion"], "discussion_prompts": ["What would help?"]}
# Nothing happens to anyone: the engine infers no structure and says what to add.
BLAND = {"narrative": "The office got a new coffee machine. Sam likes the taste and drinks two cups.",
         "emotions": [{"label": "joy", "intensity": 0.5}], "themes": []}


def engine_refusal(data: dict) -> str:
    """What the engine says when it can infer nothing from a scenario (its 'scenario: ' prefix aside)."""
    with pytest.raises(EngineInputError) as refused:
        analyze_scenario(ScenarioSpec.model_validate({**data, "slug": "any"}))
    return str(refused.value).removeprefix("scenario: ")


@pytest.fixture
def library(db):
    from tests.factories import builtin_scenarios

    return builtin_scenarios()


def test_the_list_has_the_library_first_then_the_organizations_own(api, org_a, library):
    client = api(org_a, "facilitator")
    created = client.post("/api/v1/scenarios/", NEW, format="json")
    assert created.status_code == 201
    assert created.json()["key"] == "left-off-the-invite" and created.json()["version"] == 1
    rows = client.get("/api/v1/scenarios/", {"page_size": 200}).json()["results"]
    assert rows[0]["origin"] == "library" and rows[0]["key"].startswith("library:")
    assert rows[-1]["key"] == "left-off-the-invite" and rows[-1]["origin"] == "organization"
    own = client.get("/api/v1/scenarios/", {"origin": "organization"}).json()
    assert [r["key"] for r in own["results"]] == ["left-off-the-invite"]
    themed = client.get("/api/v1/scenarios/", {"theme": "exclusion", "page_size": 200}).json()["results"]
    assert themed and all("exclusion" in r["themes"] for r in themed)


def test_an_update_saves_the_next_version_and_keeps_the_old_one(api, org_a, library):
    client = api(org_a, "facilitator")
    client.post("/api/v1/scenarios/", NEW, format="json")
    updated = client.patch("/api/v1/scenarios/left-off-the-invite/", {"title": "Not invited"}, format="json")
    assert updated.status_code == 200
    assert updated.json()["version"] == 2 and updated.json()["title"] == "Not invited"
    assert updated.json()["narrative"] == NEW["narrative"], "a partial update keeps the other fields"
    same = client.patch("/api/v1/scenarios/left-off-the-invite/", {"title": "Not invited"}, format="json")
    assert same.json()["version"] == 2, "nothing changed, no new version"
    versions = client.get("/api/v1/scenarios/left-off-the-invite/versions/").json()["results"]
    assert [(v["version"], v["is_current"], v["title"]) for v in versions] == [
        (2, True, "Not invited"), (1, False, NEW["title"])]
    with unscoped():
        assert list(AuditEvent.objects.filter(organization=org_a.org, action__startswith="scenario.")
                    .order_by("time").values_list("action", flat=True)) == ["scenario.create", "scenario.edit"]


def test_the_library_is_read_only_and_a_slug_never_changes(api, org_a, library):
    client = api(org_a, "admin")
    key = f"library:{library[0].slug}"
    assert client.get(f"/api/v1/scenarios/{key}/").json()["origin"] == "library"
    refused = client.patch(f"/api/v1/scenarios/{key}/", {"title": "Mine now"}, format="json")
    assert refused.status_code == 403
    client.post("/api/v1/scenarios/", NEW, format="json")
    renamed = client.put("/api/v1/scenarios/left-off-the-invite/", {**NEW, "slug": "other"}, format="json")
    assert renamed.status_code == 400 and renamed.json()["errors"][0]["field"] == "slug"
    with unscoped():
        assert Scenario.objects.get(organization__isnull=True, slug=library[0].slug, is_current=True).title != \
            "Mine now"


def test_a_taken_slug_and_the_engines_rules_come_back_by_field(api, org_a, library):
    client = api(org_a, "facilitator")
    client.post("/api/v1/scenarios/", {**NEW, "slug": "mine"}, format="json")
    taken = client.post("/api/v1/scenarios/", {**NEW, "slug": "mine"}, format="json")
    assert taken.status_code == 400 and taken.json()["errors"] == [
        {"field": "slug", "code": "unique", "message": taken.json()["errors"][0]["message"]}]
    no_structure = client.post("/api/v1/scenarios/", {**NEW, **BLAND}, format="json")
    assert no_structure.status_code == 400, no_structure.json()
    [error] = no_structure.json()["errors"]
    assert error == {"field": "themes", "code": "invalid", "message": engine_refusal({**NEW, **BLAND})}
    bad = client.post("/api/v1/scenarios/", {**NEW, "perspective": {"name": ""}, "emotions": [{"label": "meh"}]},
                      format="json")
    assert {e["field"] for e in bad.json()["errors"]} >= {"perspective.name", "perspective.role",
                                                          "emotions.0.label", "emotions.0.intensity"}


FREE = {**NEW, "title": "So articulate", "perspective": {"name": "Sam", "role": "Analyst", "pronouns": "she"},
        "themes": ["Microaggression", "hybrid work", "being left out"]}


def test_free_themes_and_pronouns_are_written_read_and_filtered_on(api, org_a, org_b, library):
    client = api(org_a, "facilitator")
    created = client.post("/api/v1/scenarios/", FREE, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["themes"] == ["microaggression", "hybrid work", "exclusion"]
    assert body["perspective"] == {"name": "Sam", "role": "Analyst", "pronouns": "she"}
    kept = client.patch(f"/api/v1/scenarios/{body['key']}/", {"title": "Articulate"}, format="json").json()
    assert kept["perspective"]["pronouns"] == "she" and kept["themes"] == body["themes"]
    for asked in ("hybrid work", "Hybrid Work", "MICROAGGRESSION"):
        found = client.get("/api/v1/scenarios/", {"theme": asked, "page_size": 200}).json()["results"]
        assert [r["key"] for r in found] == [body["key"]], asked
    by_label = client.get("/api/v1/scenarios/", {"theme": "being left out", "page_size": 200}).json()["results"]
    assert body["key"] in {r["key"] for r in by_label} and all("exclusion" in r["themes"] for r in by_label)
    assert client.get("/api/v1/scenarios/", {"theme": "no such words"}).json()["results"] == []
    assert api(org_b, "admin").get("/api/v1/scenarios/", {"theme": "hybrid work"}).json()["results"] == []
    library_row = client.get(f"/api/v1/scenarios/library:{library[0].slug}/").json()
    assert library_row["perspective"]["pronouns"] in ("she", "he")


def test_themes_may_be_left_out_when_the_narrative_says_what_happened(api, org_a, library):
    client = api(org_a, "facilitator")
    created = client.post("/api/v1/scenarios/", {k: v for k, v in NEW.items() if k != "themes"}, format="json")
    assert created.status_code == 201 and created.json()["themes"] == []


KO = {"title": "초대받지 못한 저녁",
      "narrative": "샘은 사진을 보고서야 팀 회식이 있었다는 것을 알았다. 아무도 샘에게 묻지 않았다.",
      "perspective": {"name": "김샘", "role": "분석가"}, "themes": ["소외", "회식"],
      "discussion_prompts": ["무엇이 도움이 되었을까요?"]}


def test_a_scenario_is_written_read_and_updated_in_both_languages(api, org_a, library):
    client = api(org_a, "facilitator")
    created = client.post("/api/v1/scenarios/", {**NEW, "translations": {"ko": KO}}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["language"] == "en" and body["translations"] == {"ko": KO}
    assert client.get(f"/api/v1/scenarios/{body['key']}/").json()["translations"] == {"ko": KO}
    retitled = client.patch(f"/api/v1/scenarios/{body['key']}/", {"title": "Not invited"}, format="json").json()
    assert retitled["version"] == 2 and retitled["translations"] == {"ko": KO}, "a partial update keeps Korean"
    old_client = client.put(f"/api/v1/scenarios/{body['key']}/", {**NEW, "title": "Left out"}, format="json").json()
    assert old_client["version"] == 3 and old_client["translations"] == {"ko": KO}, \
        "a full update written before translations existed does not drop them"
    korean_only_change = client.patch(f"/api/v1/scenarios/{body['key']}/",
                                      {"translations": {"ko": {**KO, "title": "초대받지 못한 회식"}}}, format="json")
    assert korean_only_change.json()["version"] == 4
    assert korean_only_change.json()["title"] == "Left out"
    assert korean_only_change.json()["translations"]["ko"]["title"] == "초대받지 못한 회식"
    removed = client.patch(f"/api/v1/scenarios/{body['key']}/", {"translations": {}}, format="json").json()
    assert removed["version"] == 5 and removed["translations"] == {}


def test_a_korean_first_scenario_over_the_api_carries_its_english_version(api, org_a, library):
    client = api(org_a, "facilitator")
    korean_first = {**KO, "themes": ["exclusion", "회식"], "emotions": NEW["emotions"], "language": "ko",
                    "translations": {"en": {"title": NEW["title"], "narrative": NEW["narrative"]}}}
    created = client.post("/api/v1/scenarios/", korean_first, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["language"], body["title"]) == ("ko", KO["title"])
    assert body["translations"] == {"en": {"title": NEW["title"], "narrative": NEW["narrative"]}}
    library_row = client.get("/api/v1/scenarios/library:left-out-of-the-team-dinner/").json()
    assert library_row["language"] == "ko" and "en" in library_row["translations"]
    assert client.get(f"/api/v1/scenarios/library:{library[0].slug}/").json()["translations"]["ko"]["title"]


@pytest.mark.parametrize(("translations", "field"), [
    ({"ko": {**KO, "narrative": "가" * 5001}}, "translations.ko.narrative"),
    ({"ko": {**KO, "perspective": {"name": "김" * 81}}}, "translations.ko.perspective.name"),
    ({"ko": {**KO, "discussion_prompts": ["질문?"] * 11}}, "translations.ko.discussion_prompts"),
    ({"ko": {**KO, "emotions": []}}, "translations.ko.emotions"),
    ({"fr": KO}, "translations.fr"),
    ({"en": {"title": "Same language"}}, "translations.en"),
])
def test_a_bad_translation_comes_back_by_its_field_and_saves_nothing(api, org_a, library, translations, field):
    client = api(org_a, "facilitator")
    refused = client.post("/api/v1/scenarios/", {**NEW, "translations": translations}, format="json")
    assert refused.status_code == 400, refused.json()
    assert field in {e["field"] for e in refused.json()["errors"]}, refused.json()
    assert client.get("/api/v1/scenarios/", {"origin": "organization"}).json()["results"] == []


def test_an_outsider_sees_another_organizations_scenario_in_neither_language(api, org_a, org_b, library):
    created = api(org_a, "facilitator").post("/api/v1/scenarios/", {**NEW, "translations": {"ko": KO}},
                                              format="json").json()
    outsider = api(org_b, "admin")
    assert outsider.get(f"/api/v1/scenarios/{created['key']}/").status_code == 404
    assert outsider.patch(f"/api/v1/scenarios/{created['key']}/", {"translations": {"ko": KO}},
                          format="json").status_code == 404
    listed = outsider.get("/api/v1/scenarios/", {"page_size": 200}).json()["results"]
    assert created["key"] not in {r["key"] for r in listed}
    assert not any(r["translations"].get("ko", {}).get("title") == KO["title"] for r in listed)
    assert api(org_a, "analyst").get("/api/v1/scenarios/", {"theme": "회식"}).json()["results"][0]["key"] == \
        created["key"], "a Korean theme word filters"
    assert created["key"] not in {r["key"] for r in outsider.get("/api/v1/scenarios/", {"theme": "회식"}).json()[
        "results"]}

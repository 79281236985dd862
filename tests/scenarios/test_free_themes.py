"""Themes in the facilitator's own words ("microaggression", "hybrid work"): written on the form or in an
imported file, suggested from the known ones, shown as typed, filtered on, grouped by, never a crash."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.reports.conftest import add_people
from tests.tenancy.test_scope import _scenario_yaml
from workshop.engine import THEMES, EngineInputError, ScenarioSpec, analyze_scenario
from workshop.participants.instruments import memory_prompts
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import ScenarioFileError, scenario_import
from workshop.scenarios.themes import scenario_relational_themes, theme_label, themes_normalize
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.services import workshop_create, workshop_open

NARRATIVE = ("Ama joins the weekly meeting from home. When she speaks, the room goes quiet and someone says "
             "'you are so articulate'. Afterwards she finds out from the office chat that the decision was made "
             "over lunch, without her, by the people who were in the building.")
# Nothing happens to anyone in it: the engine can infer no structure.
BLAND = "The office got a new coffee machine. Ama likes the taste of it and drinks two cups before ten."


def form_data(**changes) -> dict:
    data = {"title": "So articulate", "slug": "", "perspective_name": "Ama", "perspective_role": "Data engineer",
            "perspective_pronouns": "she", "narrative": NARRATIVE, "emotions": "hurt 0.7\nfrustration 0.5",
            "themes": "Microaggression, hybrid work", "discussion_prompts": "What could the room have said?"}
    data.update(changes)
    return data


def file_data(**changes) -> dict:
    data = {"slug": "so-articulate", "title": "So articulate", "narrative": NARRATIVE,
            "perspective": {"name": "Ama", "role": "Data engineer", "pronouns": "she"},
            "emotions": [{"label": "hurt", "intensity": 0.7}], "themes": ["microaggression", "hybrid work"],
            "discussion_prompts": ["What could the room have said?"]}
    data.update(changes)
    return data


def own(team) -> list[Scenario]:
    with unscoped():
        return list(Scenario.objects.filter(organization=team.org).order_by("slug", "version"))


def engine_refusal(narrative: str) -> str:
    """What the engine itself says about a scenario it can read nothing from (its 'scenario: ' prefix aside)."""
    with pytest.raises(EngineInputError) as refused:
        analyze_scenario(ScenarioSpec.model_validate(file_data(narrative=narrative, themes=[])))
    return str(refused.value).removeprefix("scenario: ")


def test_a_word_naming_a_known_theme_is_stored_as_its_id_and_any_other_word_as_typed():
    assert themes_normalize(["Being left out", "remote work", "REMOTE_WORK", " Hybrid  Work ", "", "hybrid work"]) \
        == ["exclusion", "remote_work", "hybrid work"]
    assert theme_label("exclusion") == THEMES["exclusion"]["label"] and theme_label("hybrid work") == "hybrid work"


def test_the_form_saves_free_themes_and_pronouns(client, org_a):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), form_data())
    [scenario] = own(org_a)
    assert response.status_code == 302
    assert scenario.themes == ["microaggression", "hybrid work"] and scenario.perspective_pronouns == "she"
    assert scenario.to_spec_dict()["perspective"] == {"name": "Ama", "role": "Data engineer", "pronouns": "she"}
    detail = client.get(reverse("facilitator:scenario", args=[scenario.pk])).content.decode()
    assert "microaggression, hybrid work" in detail and "Ama (she)" in detail
    edit = client.get(reverse("facilitator:scenario_edit", args=[scenario.pk]))
    assert edit.context["form"].initial["themes"] == "microaggression, hybrid work"
    assert edit.context["form"].initial["perspective_pronouns"] == "she"


def test_the_form_suggests_the_known_themes_without_inline_script(client, org_a):
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:scenario_new")).content.decode()
    for info in THEMES.values():
        assert f'data-add-to="id_themes" hidden>{info["label"]}</button>' in page
    assert 'list="pronoun-suggestions"' in page and '<option value="she">' in page
    assert "js/chips.js" in page and "<script>" not in page and "onclick" not in page


def test_the_form_shows_the_engines_message_when_it_can_infer_nothing(client, org_a):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:scenario_new"), form_data(narrative=BLAND, themes="",
                                                                          emotions="joy 0.5"))
    assert response.status_code == 200
    assert response.context["form"].errors["themes"] == [engine_refusal(BLAND)]
    assert engine_refusal(BLAND) in response.content.decode().replace("&#x27;", "'")
    assert own(org_a) == []


def test_an_imported_file_keeps_free_themes_and_pronouns(org_a):
    with organization_scope(org_a.org.id):
        [scenario] = scenario_import(organization=org_a.org, raw=yaml.safe_dump(file_data()).encode())
    assert scenario.themes == ["microaggression", "hybrid work"] and scenario.perspective_pronouns == "she"


def test_an_imported_file_the_engine_can_read_nothing_from_is_refused_with_its_message(org_a):
    data = [file_data(slug="fine"), file_data(slug="bland", narrative=BLAND, themes=[])]
    with organization_scope(org_a.org.id), pytest.raises(ScenarioFileError) as error:
        scenario_import(organization=org_a.org, raw=yaml.safe_dump(data).encode())
    assert str(error.value) == f"scenarios[1].themes: {engine_refusal(BLAND)}"
    assert own(org_a) == []


def test_the_import_page_shows_the_engines_message(client, org_a):
    client.force_login(org_a.facilitator)
    upload = SimpleUploadedFile("bland.yaml", yaml.safe_dump(file_data(narrative=BLAND, themes=[])).encode())
    body = client.post(reverse("facilitator:scenarios"), {"file": upload}).content.decode().replace("&#x27;", "'")
    assert "Nothing was imported" in body and engine_refusal(BLAND) in body


def test_the_library_filters_on_a_free_theme_and_shows_it_as_typed(client, org_a, org_b):
    factories.builtin_scenarios()
    with unscoped():
        scenario_import(organization=org_a.org, raw=yaml.safe_dump(file_data()).encode())
        scenario_import(organization=org_a.org, raw=_scenario_yaml("other").encode())
    client.force_login(org_a.facilitator)
    response = client.get(reverse("facilitator:scenarios"), {"theme": "Hybrid Work"})
    assert [s.title for s in response.context["scenarios"]] == ["So articulate"]
    body = response.content.decode()
    assert '<option value="hybrid work" selected>hybrid work</option>' in body
    assert "microaggression, hybrid work" in body
    client.force_login(org_b.facilitator)  # the outsider is not offered our words, nor our scenario
    theirs = client.get(reverse("facilitator:scenarios"), {"theme": "hybrid work"})
    assert "hybrid work" not in theirs.content.decode() and "So articulate" not in theirs.content.decode()


def test_a_workshop_form_lists_a_free_themed_scenario(client, org_a):
    with unscoped():
        scenario_import(organization=org_a.org, raw=yaml.safe_dump(file_data()).encode())
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:workshop_new")).content.decode()
    assert "So articulate — Ama, Data engineer (microaggression, hybrid work)" in page


def test_memory_prompts_come_from_what_the_engine_reads_in_free_themes(org_a):
    with organization_scope(org_a.org.id):
        [scenario] = scenario_import(organization=org_a.org, raw=yaml.safe_dump(file_data()).encode())
    relational = scenario_relational_themes(scenario)
    assert relational and set(relational) <= {t for t, info in THEMES.items() if info["relational"]}
    assert len(memory_prompts(relational, "en")) >= 2
    assert memory_prompts(["microaggression", "hybrid work"], "en")  # unknown words alone: the default prompt


def test_reports_group_and_filter_by_a_free_theme(client, org_a):
    with unscoped():
        [scenario] = scenario_import(organization=org_a.org, raw=yaml.safe_dump(file_data()).encode())
        workshop = workshop_open(workshop=workshop_create(
            organization_id=org_a.org.id, owner=org_a.facilitator, title="Hybrid team", scenarios=[scenario],
            capacity=40, generic_share=0), actor=org_a.facilitator)
    add_people(workshop, 8)
    client.force_login(org_a.analyst)
    response = client.get(reverse("facilitator:reports"), {"theme": "microaggression"})
    assert response.status_code == 200
    assert '<option value="microaggression" selected>microaggression</option>' in response.content.decode()
    exported = client.get(reverse("facilitator:reports_csv"), {"theme": "microaggression"})
    assert exported.status_code == 200 and "microaggression" in exported.content.decode()

"""A scenario in two languages: the built-in library, files (a ko: block, or language: ko with an en: block),
versions, the engine's spec in each language, the console's pages, duplicates, and the outsider."""

import hashlib
import json

import pytest
import yaml
from django.urls import reverse

from tests import factories
from tests.tenancy.test_scope import _scenario_yaml
from workshop.scenarios.authoring import scenario_duplicate
from workshop.scenarios.languages import hangul_share
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import ScenarioFileError, scenario_export, scenario_import
from workshop.scenarios.themes import themes_normalize
from workshop.tenancy.scope import organization_scope, unscoped

KOREAN_FIRST = ("left-out-of-the-team-dinner", "decided-in-the-group-chat", "returned-from-parental-leave",
                "forgotten-at-the-branch-office", "experienced-hire-under-a-younger-lead")

KO_NARRATIVE = " ".join(["나디아는 팀이 자기 없이 결정하는 동안 기다린다. 아무도 나디아에게 묻지 않는다."] * 6)
KO_BLOCK = {"title": "나디아 없이 정해진 일", "narrative": KO_NARRATIVE,
            "perspective": {"name": "나디아", "role": "간호사"}, "themes": ["소외", "따돌림"],
            "discussion_prompts": ["나디아는 무엇을 느꼈을까요?", "누가 먼저 물어볼 수 있었을까요?"]}


def bilingual(slug: str = "two-languages", **ko_changes) -> dict:
    return {**yaml.safe_load(_scenario_yaml(slug)), "ko": {**KO_BLOCK, **ko_changes}}


def imported(team, data: dict, filename: str = "s.json") -> Scenario:
    with organization_scope(team.org.id):
        [scenario] = scenario_import(organization=team.org, raw=json.dumps(data).encode(), filename=filename)
    return scenario


def refused(team, data: dict) -> str:
    with organization_scope(team.org.id), pytest.raises(ScenarioFileError) as error:
        scenario_import(organization=team.org, raw=json.dumps(data).encode(), filename="s.json")
    with unscoped():
        assert not Scenario.objects.filter(organization=team.org).exists(), "a refused file imported something"
    return str(error.value)


# --- the built-in library --------------------------------------------------------------------------------

def test_every_built_in_scenario_reads_in_korean_and_in_english(db):
    library = factories.builtin_scenarios()
    assert len(library) >= 21
    for scenario in library:
        ko, en = scenario.localized("ko"), scenario.localized("en")
        assert (ko.language, en.language) == ("ko", "en"), scenario.slug
        for text in (ko.title, ko.narrative, ko.perspective_name, ko.perspective_role, *ko.discussion_prompts):
            assert hangul_share(text) > 0.85, (scenario.slug, text)
        for text in (en.title, en.narrative, en.perspective_name, *en.discussion_prompts):
            assert hangul_share(text) == 0, (scenario.slug, text)
        assert ko.themes and ko.themes != en.themes


def test_the_scenarios_written_for_korean_workplaces_first_are_korean_first(db):
    library = {s.slug: s for s in factories.builtin_scenarios()}
    for slug in KOREAN_FIRST:
        scenario = library[slug]
        assert scenario.language == "ko" and list(scenario.translations) == ["en"], slug
        assert hangul_share(scenario.narrative) > 0.85 and scenario.perspective_pronouns in ("she", "he")
        assert len(scenario.discussion_prompts) == 4 and len(scenario.translations["en"]["discussion_prompts"]) == 4


def test_loading_the_library_again_adds_no_version(db):
    first = factories.builtin_scenarios()
    with unscoped():
        from workshop.scenarios.services import library_load

        assert library_load()["new_versions"] == 0
    assert [s.pk for s in factories.builtin_scenarios()] == [s.pk for s in first]


# --- versions ------------------------------------------------------------------------------------------

def _hash_before_translations(data: dict) -> str:
    """The content hash as it was computed before scenarios had languages (workshop/scenarios/services.py)."""
    from workshop.engine import ScenarioSpec

    spec = ScenarioSpec.model_validate(data).model_dump(mode="json")
    spec.pop("language")
    if spec["perspective"]["pronouns"] == "":
        spec["perspective"].pop("pronouns")
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def test_a_scenario_without_translations_keeps_the_hash_it_had_so_it_gets_no_new_version(org_a):
    data = yaml.safe_load(_scenario_yaml("unchanged"))
    scenario = imported(org_a, data)
    assert scenario.content_hash == _hash_before_translations(data)
    assert scenario.language == "en" and scenario.translations == {}


def test_a_change_to_the_korean_text_alone_makes_a_new_version(org_a):
    v1 = imported(org_a, bilingual("evolving"))
    same = imported(org_a, bilingual("evolving"))
    v2 = imported(org_a, bilingual("evolving", title="나디아 없이 정해진 회의"))
    assert same.pk == v1.pk
    assert (v2.version, v2.title, v2.translations["ko"]["title"]) == (2, v1.title, "나디아 없이 정해진 회의")
    dropped = imported(org_a, yaml.safe_load(_scenario_yaml("evolving")))
    assert dropped.version == 3 and dropped.translations == {}


# --- the engine's spec ---------------------------------------------------------------------------------

def test_the_engine_spec_is_in_the_language_asked_for_with_the_primary_one_where_untranslated(org_a):
    scenario = imported(org_a, bilingual(discussion_prompts=[]))
    ko = scenario.to_spec_dict("ko")
    assert ko["language"] == "ko" and ko["narrative"] == KO_NARRATIVE and ko["title"] == KO_BLOCK["title"]
    assert ko["perspective"] == {"name": "나디아", "role": "간호사", "pronouns": ""}
    assert ko["discussion_prompts"] == scenario.discussion_prompts, "untranslated prompts read in English"
    assert ko["themes"][:2] == themes_normalize(["소외", "따돌림"])[:2] and "exclusion" in ko["themes"], \
        "the known theme ids travel"
    en = scenario.to_spec_dict("en")
    assert en["language"] == "en" and en["narrative"] == scenario.narrative
    assert scenario.to_spec_dict("fr")["language"] == "en", "a language scenarios are not written in: the primary"


def test_a_scenario_with_no_korean_text_still_gives_a_korean_spec_for_a_korean_reader(org_a):
    scenario = imported(org_a, yaml.safe_load(_scenario_yaml("english-only")))
    spec = scenario.to_spec_dict("ko-KR")
    assert spec["language"] == "ko" and spec["narrative"] == scenario.narrative
    assert scenario.localized("ko").language == "en", "the page marks the English text as English"


# --- files -----------------------------------------------------------------------------------------------

def test_export_then_import_round_trips_both_languages_in_json_and_yaml(org_a, org_b):
    korean_first = {**yaml.safe_load(_scenario_yaml("korean-first")), **KO_BLOCK, "language": "ko",
                    "themes": ["exclusion", "소외"],
                    "en": {"title": "Decided without Nadia", "narrative": "Nadia waits. " * 20}}
    with organization_scope(org_a.org.id):
        original = [imported(org_a, bilingual()), imported(org_a, korean_first)]
        exported = {fmt: scenario_export(scenarios=original, fmt=fmt) for fmt in ("json", "yaml")}
    assert "ko:" in exported["yaml"] and "en:" in exported["yaml"] and "language: ko" in exported["yaml"]
    for fmt, text in exported.items():
        with organization_scope(org_b.org.id):
            again = scenario_import(organization=org_b.org, raw=text.encode(), filename=f"s.{fmt}")
        assert [s.to_file_dict() for s in again] == [s.to_file_dict() for s in original], fmt
        assert again[1].language == "ko" and again[1].translations["en"]["title"] == "Decided without Nadia"


@pytest.mark.parametrize(("data", "message"), [
    (bilingual(narrative="나" * 5001), "scenario.ko.narrative: String should have at most 5000 characters"),
    (bilingual(title="나디아\u0000"), "scenario.ko.title: contains a control character (U+0000)"),
    (bilingual(discussion_prompts=["좋아요?", "안\u001b[31m 좋아요?"]),
     "scenario.ko.discussion_prompts[1]: contains a control character"),
    (bilingual(perspective={"name": "나디아", "role": "간"* 121}), "scenario.ko.perspective.role: String should have"),
    (bilingual(themes=["소외"] * 2 + [f"주제 {i}" for i in range(12)]), "scenario.ko.themes: List should have at most"),
    (bilingual(emotions=[{"label": "hurt", "intensity": 0.5}]), "scenario.ko.emotions: not a translated field"),
    (bilingual(perspective={"name": "나디아", "age": 30}), "scenario.ko.perspective.age: unknown field"),
    ({**bilingual(), "ko": "나디아"}, "scenario.ko: expected a mapping of the translated fields"),
    ({**yaml.safe_load(_scenario_yaml("x")), "en": KO_BLOCK}, "scenario.en: this is the scenario's own language"),
    ({**bilingual(), "language": "fr"}, "scenario.language: one of en, ko"),
    ({**bilingual(), "fr": KO_BLOCK}, "scenario.fr: unknown field"),
])
def test_a_bad_translation_block_names_its_field_and_imports_nothing(org_a, data, message):
    assert refused(org_a, data).startswith(message)


def test_a_korean_version_the_engine_can_read_nothing_from_is_refused_by_its_field(org_a, monkeypatch):
    from workshop.engine import EngineInputError
    from workshop.scenarios import services

    real = services.analyze_scenario

    def only_english(spec):
        if spec.language == "ko":
            raise EngineInputError("scenario: no relational structure found; add a theme word")
        return real(spec)

    monkeypatch.setattr(services, "analyze_scenario", only_english)
    assert refused(org_a, bilingual()) == "scenario.ko.themes: no relational structure found; add a theme word"


# --- the console ---------------------------------------------------------------------------------------

def test_the_scenario_page_shows_both_languages(client, org_a):
    scenario = imported(org_a, bilingual())
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:scenario", args=[scenario.pk])).content.decode()
    assert scenario.narrative.split(".")[0] in page
    assert "나디아 없이 정해진 일" in page and "누가 먼저 물어볼 수" in page
    assert "English (written first)" in page and "한국어 version" in page


def test_the_library_lists_each_scenario_in_the_consoles_language(client, org_a):
    imported(org_a, bilingual())
    client.force_login(org_a.facilitator)
    english = client.get(reverse("facilitator:scenarios")).content.decode()
    assert "Private scenario" in english and "나디아 없이 정해진 일" not in english
    korean = client.get(reverse("facilitator:scenarios"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "나디아 없이 정해진 일" in korean
    found = client.get(reverse("facilitator:scenarios"), {"theme": "따돌림"}).context["scenarios"]
    assert [s.slug for s in found] == ["two-languages"], "a Korean theme word filters too"


def test_a_ko_workshop_shows_the_facilitator_its_scenarios_in_korean(client, org_a):
    library = {s.slug: s for s in factories.builtin_scenarios()}
    with unscoped():
        from workshop.workshops.services import workshop_create

        workshop = workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title="공감 워크숍",
                                   scenarios=[library["leaves-at-four"]], capacity=10, language="ko")
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:workshop", args=[workshop.public_id])).content.decode()
    assert library["leaves-at-four"].localized("ko").title in page
    assert "The lead who leaves at four" not in page


def test_a_duplicate_keeps_every_language(org_a):
    library = {s.slug: s for s in factories.builtin_scenarios()}
    with organization_scope(org_a.org.id):
        copy = scenario_duplicate(organization=org_a.org, scenario=library["left-out-of-the-team-dinner"])
    assert copy.language == "ko" and copy.organization_id == org_a.org.id
    assert copy.title.startswith(library["left-out-of-the-team-dinner"].title)
    original = library["left-out-of-the-team-dinner"].translations["en"]
    assert copy.translations["en"]["narrative"] == original["narrative"]
    assert copy.translations["en"]["title"].startswith("The real talk happens at the second round")


def test_an_outsider_sees_another_organizations_scenario_in_neither_language(client, org_a, org_b):
    scenario = imported(org_a, bilingual())
    client.force_login(org_b.facilitator)
    assert client.get(reverse("facilitator:scenario", args=[scenario.pk])).status_code == 404
    for language in ("en", "ko"):
        page = client.get(reverse("facilitator:scenarios"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "Private scenario" not in page and "나디아" not in page, language
    exported = client.get(reverse("facilitator:scenarios_export")).content.decode()
    assert "나디아" not in exported and "two-languages" not in exported

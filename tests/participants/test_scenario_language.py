"""Each participant reads a scenario in their own language, and their analogy is written from that version."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests import factories
from workshop.engine import ProfileSpec
from workshop.participants.models import Analogy
from workshop.participants.services import analogy_run, participant_join, participant_profile_save
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.services import workshop_create, workshop_open

SLUGS = ("leaves-at-four", "left-out-of-the-team-dinner")  # written in English first, and in Korean first


def workshop_in(team, language: str, slugs=SLUGS):
    library = {s.slug: s for s in factories.builtin_scenarios()}
    with unscoped():
        workshop = workshop_create(organization_id=team.org.id, owner=team.facilitator, title=f"Workshop {language}",
                                   scenarios=[library[slug] for slug in slugs], capacity=20, language=language)
        return workshop_open(workshop=workshop, actor=team.facilitator), [library[slug] for slug in slugs]


def participant_reading(workshop, language: str, name: str = "Robin"):
    with unscoped():
        participant, token = participant_join(workshop=workshop, pseudonym=name, language=language)
        participant_profile_save(participant=participant, profile=ProfileSpec.model_validate(
            {"name": name, "domains": ["교회 성가대"] if language == "ko" else ["choir"]}))
    return participant, token


def page(client, position: int) -> str:
    return client.get(reverse("participants:scenario", args=[position])).content.decode()


@pytest.mark.parametrize("workshop_language", ["en", "ko"])
def test_a_korean_participant_reads_the_korean_version_in_any_workshop(org_a, as_participant, workshop_language):
    workshop, scenarios = workshop_in(org_a, workshop_language)
    _participant, token = participant_reading(workshop, "ko")
    client = as_participant(token)
    for position, scenario in enumerate(scenarios, 1):
        korean, english = scenario.localized("ko"), scenario.localized("en")
        body = page(client, position)
        assert escape(korean.title) in body and escape(korean.perspective_name) in body
        assert f'lang="ko">{escape(korean.narrative)}' in body
        assert escape(english.narrative) not in body and escape(english.title) not in body
    overview = client.get(reverse("participants:home")).content.decode()
    assert all(escape(s.localized("ko").title) in overview for s in scenarios)


@pytest.mark.parametrize("workshop_language", ["en", "ko"])
def test_an_english_participant_reads_the_english_version_in_any_workshop(org_a, as_participant, workshop_language):
    workshop, scenarios = workshop_in(org_a, workshop_language)
    _participant, token = participant_reading(workshop, "en")
    client = as_participant(token)
    for position, scenario in enumerate(scenarios, 1):
        english, korean = scenario.localized("en"), scenario.localized("ko")
        body = page(client, position)
        assert escape(english.title) in body and escape(english.narrative) in body
        assert escape(korean.narrative) not in body


def test_a_participant_who_did_not_choose_reads_the_workshops_language(org_a, as_participant):
    workshop, scenarios = workshop_in(org_a, "ko")
    _participant, token = participant_reading(workshop, "")
    assert escape(scenarios[0].localized("ko").narrative) in page(as_participant(token), 1)


def test_a_scenario_with_no_korean_version_reads_in_english_marked_as_english(org_a, as_participant):
    from tests.tenancy.test_scope import _scenario_yaml
    from workshop.scenarios.services import scenario_import

    with organization_scope(org_a.org.id):
        [own] = scenario_import(organization=org_a.org, raw=_scenario_yaml("english-only").encode())
    with unscoped():
        workshop = workshop_open(workshop=workshop_create(
            organization_id=org_a.org.id, owner=org_a.facilitator, title="워크숍", scenarios=[own], capacity=5,
            language="ko"), actor=org_a.facilitator)
    _participant, token = participant_reading(workshop, "ko")
    body = page(as_participant(token), 1)
    assert f'lang="en">{escape(own.narrative)}' in body


def test_a_korean_participants_analogy_is_written_from_the_korean_version(org_a, monkeypatch):
    from workshop.participants import services

    seen = []
    real = services.generate

    def spy(scenario, profile, **kwargs):
        seen.append((scenario, profile))
        return real(scenario, profile, **kwargs)

    monkeypatch.setattr(services, "generate", spy)
    workshop, scenarios = workshop_in(org_a, "en")
    korean, _ = participant_reading(workshop, "ko", name="민지")
    english, _ = participant_reading(workshop, "en", name="Robin")
    with unscoped():
        analogies = list(Analogy.objects.filter(participant__workshop=workshop).order_by("participant_id", "id"))
    with organization_scope(org_a.org.id):
        for analogy in analogies:
            assert analogy_run(analogy_id=analogy.id) == "done"
    by_reader = {}
    for (spec, profile), analogy in zip(seen, analogies, strict=True):
        by_reader[(analogy.participant_id, analogy.scenario_id)] = (spec, profile)
    for scenario in scenarios:
        spec, profile = by_reader[(korean.id, scenario.id)]
        assert spec.language == "ko" and profile.language == "ko"
        assert spec.narrative == scenario.localized("ko").narrative and spec.title == scenario.localized("ko").title
        assert spec.perspective.name == scenario.localized("ko").perspective_name
        spec, profile = by_reader[(english.id, scenario.id)]
        assert spec.language == "en" and profile.language == "en"
        assert spec.narrative == scenario.localized("en").narrative


def test_an_outsiders_participant_never_reads_another_organizations_scenario(org_a, org_b, as_participant):
    from tests.scenarios.test_bilingual import bilingual, imported

    own = imported(org_a, bilingual("acme-only"))
    workshop_b, scenarios_b = workshop_in(org_b, "ko")
    _participant, token = participant_reading(workshop_b, "ko")
    client = as_participant(token)
    for position in range(1, len(scenarios_b) + 1):
        body = page(client, position)
        assert escape(own.localized("ko").narrative) not in body and escape(own.narrative) not in body
    assert client.get(reverse("participants:scenario", args=[len(scenarios_b) + 1])).status_code == 404

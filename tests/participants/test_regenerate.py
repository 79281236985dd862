from django.urls import reverse

from tests import factories
from workshop.participants.models import Analogy
from workshop.participants.services import MAX_ANALOGY_VERSIONS, analogy_regenerate, analogy_run
from workshop.tenancy.scope import organization_scope, unscoped


def write_current(participant):
    with unscoped():
        for analogy in Analogy.objects.filter(participant=participant, is_current=True, state="pending"):
            with organization_scope(analogy.organization_id):
                analogy_run(analogy_id=analogy.id)


def test_another_analogy_is_a_new_version_and_the_earlier_one_stays_readable(client, workshop_a, as_participant):
    participant, token = factories.joined_participant(workshop_a, "Noor", domains=["choir", "rock climbing"],
                                                      memory="The choir gave my solo to the new tenor.")
    write_current(participant)
    as_participant(token)
    factories.answer_before(client, 1)
    client.post(reverse("participants:analogy_another", args=[1]))
    write_current(participant)
    with unscoped():
        versions = list(Analogy.objects.filter(participant=participant, version__gte=1,
                                               scenario=workshop_a.workshop_scenarios.first().scenario)
                        .order_by("version"))
    assert [(a.version, a.is_current) for a in versions] == [(1, False), (2, True)]
    assert versions[0].text != versions[1].text
    page = client.get(reverse("participants:scenario", args=[1])).content.decode()
    assert "Your earlier analogy for this scenario (1)" in page
    assert versions[0].title in page and versions[1].title in page


def test_another_analogy_is_capped(workshop_a):
    participant, _ = factories.joined_participant(workshop_a, "Capped", domains=["baking"])
    made = 1
    with organization_scope(workshop_a.organization_id):
        scenario_id = workshop_a.workshop_scenarios.first().scenario_id
        write_current(participant)
        while analogy_regenerate(participant=participant, scenario_id=scenario_id):
            made += 1
            write_current(participant)
        assert made == MAX_ANALOGY_VERSIONS
        assert Analogy.objects.filter(participant=participant, scenario_id=scenario_id).count() == made


def test_another_analogy_is_refused_while_the_current_one_is_still_being_written(workshop_a):
    participant, _ = factories.joined_participant(workshop_a, "Waiting", domains=["darts"])
    with organization_scope(workshop_a.organization_id):
        scenario_id = workshop_a.workshop_scenarios.first().scenario_id
        assert analogy_regenerate(participant=participant, scenario_id=scenario_id) is None


def test_an_unexpected_error_marks_the_analogy_failed_instead_of_leaving_it_running(workshop_a, monkeypatch):
    participant, _ = factories.joined_participant(workshop_a, "Oops", domains=["rowing"])

    def broken(*args, **kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr("workshop.participants.services.generate", broken)
    with unscoped():
        analogy = Analogy.objects.filter(participant=participant).first()
    with organization_scope(workshop_a.organization_id):
        assert analogy_run(analogy_id=analogy.id) == "failed"
        analogy.refresh_from_db()
    assert analogy.state == "failed" and "the engine broke" in analogy.error

"""A room whose loop assignments are set by the test: who got which strategy, and how they answered."""

from __future__ import annotations

from tests import factories
from tests.conftest import wait_for
from workshop.learning.models import StrategyAssignment
from workshop.participants.answers import response_after_save, response_before_save
from workshop.participants.models import Analogy
from workshop.participants.services import analogy_run
from workshop.tenancy.scope import organization_scope, unscoped

DOMAINS = ["church choir", "sourdough baking"]


def write(participant) -> list[Analogy]:
    """Write the participant's pending analogies as the worker does, and return them."""
    with unscoped():
        pending = list(Analogy.objects.filter(participant=participant, is_current=True, state="pending"))
    for analogy in pending:
        with organization_scope(analogy.organization_id):
            # "skipped": a worker of the test session had already claimed it (a browser test's transactions
            # commit, so the queue hears of it); then wait for that worker to finish it.
            assert analogy_run(analogy_id=analogy.id) in ("done", "skipped")
    with unscoped():
        wait_for(lambda: not Analogy.objects.filter(participant=participant, is_current=True)
                 .exclude(state="done").exists(), what=f"{participant.pseudonym}'s analogies to be written")
        return list(Analogy.objects.filter(participant=participant, is_current=True).order_by("scenario_id"))


def assignment_of(analogy: Analogy) -> StrategyAssignment | None:
    with unscoped():
        return StrategyAssignment.objects.filter(analogy=analogy).first()


def answer(participant, scenario, *, resonance: int | None, before=("anger",), after=("hurt",)):
    with organization_scope(participant.organization_id):
        response_before_save(participant=participant, scenario=scenario, labels=list(before), intensity=3,
                             understanding=4)
        return response_after_save(participant=participant, scenario=scenario, labels=list(after), intensity=4,
                                   understanding=6, reflection="", share_reflection=False, resonance=resonance)


def room_with(team, plan: dict[str, list[int]], *, probability: float = 0.5):
    """``plan``: strategy -> the resonance rating each of its participants gives (one participant each)."""
    workshop = factories.open_workshop(team, scenarios=1, capacity=200)
    for strategy, ratings in plan.items():
        for i, rating in enumerate(ratings):
            participant, _ = factories.joined_participant(workshop, f"{strategy[:6]}{i}", domains=DOMAINS)
            analogy = write(participant)[0]
            with unscoped():
                StrategyAssignment.objects.filter(analogy=analogy).update(strategy=strategy, probability=probability)
            targets = [e["label"] for e in analogy.scenario.emotions]
            answer(participant, analogy.scenario, resonance=rating, before=["joy"], after=targets)
    return workshop

from collections.abc import Mapping, Sequence

from django.http import Http404, HttpRequest

from participants.models import Analogy, Participant, Response
from workshop.tenancy.models import token_hash
from workshop.tenancy.scope import unscoped


def participant_by_token(token: str) -> Participant | None:
    """A participant's token is their only key; it names its organization, so this read is unscoped."""
    if not token or len(token) > 100:
        return None
    with unscoped():
        return (Participant.objects.select_related("workshop", "organization")
                .filter(token_hash=token_hash(token)).first())


def participant_analogies(*, participant: Participant) -> dict[int, Analogy]:
    """Current analogy per scenario id."""
    return {a.scenario_id: a for a in participant.analogies.filter(is_current=True)}


def participant_or_404(request: HttpRequest) -> Participant:
    """The participant the middleware found for this request (cookie or personal link), or 'not found'."""
    if request.participant is None:
        raise Http404("No participant")
    return request.participant


def participant_step(*, participant: Participant, scenario_ids: Sequence[int], answers: Mapping[int, Response],
                     analogy_states: Mapping[int, str]) -> tuple[str, int | None]:
    """Where a participant is, as the live monitor and the API say it: joined, profile, before, analogy, after
    or done, with the scenario's position (from 1) for the per-scenario steps. ``answers`` and
    ``analogy_states`` are keyed by scenario id (their current analogy's state)."""
    if participant.step == Participant.Step.PROFILE:
        return ("profile" if participant.personality_answers or participant.profile else "joined"), None
    if participant.step == Participant.Step.SCENARIOS:
        for position, scenario_id in enumerate(scenario_ids, 1):
            answer = answers.get(scenario_id)
            if answer is None or answer.pre_understanding is None:
                return "before", position
            if answer.post_understanding is None:
                done = analogy_states.get(scenario_id) == Analogy.State.DONE
                return ("after" if done else "analogy"), position
    return "done", None

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.http import Http404, HttpRequest

from workshop.participants.models import Analogy, Participant, Response
from workshop.tenancy.models import token_hash
from workshop.tenancy.scope import unscoped


def participant_by_token(token: str) -> Participant | None:
    """A participant's token is their only key; it names its organization, so this read is unscoped."""
    if not token or len(token) > 100:
        return None
    with unscoped():
        # Every participant request (a phone polls every few seconds) comes through here: their memories are
        # decrypted only on the pages that read them.
        return (Participant.objects.select_related("workshop", "organization").defer("memories")
                .filter(token_hash=token_hash(token)).first())


def participant_language(participant: Participant) -> str:
    """The language the participant reads: the one they chose, else their workshop's."""
    return participant.language or participant.workshop.language or settings.LANGUAGE_CODE


def participant_analogies(*, participant: Participant) -> dict[int, Analogy]:
    """Current analogy per scenario id."""
    return {a.scenario_id: a for a in participant.analogies.filter(is_current=True)}


def analogy_mapping_shown(*, analogy: Analogy | None, after_saved: bool) -> list[dict]:
    """The mapping pairs a participant may see: until their "after" answers are saved, none that names one of the
    scenario's target feelings (the next question asks for them)."""
    from workshop.engine.vocabulary import emotion_named

    if analogy is None or analogy.state != Analogy.State.DONE:
        return []
    pairs = [p for p in analogy.mapping or [] if isinstance(p, dict)]
    if after_saved:
        return pairs
    labels = [e for e in analogy.emotions or [] if isinstance(e, str)]
    return [p for p in pairs if not any(emotion_named(f"{p.get('scenario', '')} {p.get('analogy', '')}", label)
                                        for label in labels if label)]


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


def participant_analogy_state(*, participant: Participant, position: int) -> str | None:
    """The state of the participant's current analogy for the workshop's scenario at ``position`` (from 1), in
    two light queries: what a waiting phone polls. Raises Http404 for a position the workshop does not have;
    None when there is no analogy yet."""
    from workshop.workshops.models import WorkshopScenario

    scenario_ids = list(WorkshopScenario.objects.filter(workshop_id=participant.workshop_id)
                        .order_by("position").values_list("scenario_id", flat=True))
    if not 1 <= position <= len(scenario_ids):
        raise Http404("No such scenario")
    return (Analogy.objects.filter(participant_id=participant.id, scenario_id=scenario_ids[position - 1],
                                   is_current=True).values_list("state", flat=True).first())

from django.http import Http404, HttpRequest

from participants.models import Analogy, Participant
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

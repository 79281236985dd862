"""Opens the organization scope for each web request (one of the three places that may)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from workshop.tenancy.models import Membership
from workshop.tenancy.scope import organization_scope, unscoped

PARTICIPANT_COOKIE = "ewt_participant"
SESSION_ORG_KEY = "organization_id"
PLACE_POLL = "place"  # participant_poll's mark on the view a phone waiting for the room polls


def participant_poll(view: Callable) -> Callable:
    """Marks a participant view that a waiting phone polls (a small JSON answer every few seconds): the
    middleware finds its participant with the lean lookup (``participant_for_poll``), only the columns a poll
    reads, instead of the whole participant and workshop, and with the URL's ``position`` the state of that
    position's analogy in the same statement."""
    view.participant_poll = True
    return view


def participant_place_poll(view: Callable) -> Callable:
    """Marks the view a phone waiting for the room polls (``/p/next``): the middleware finds its participant with
    ``participant_for_place_poll``, one statement that also reads what the flow needs to place them."""
    view.participant_poll = PLACE_POLL
    return view


class OrganizationScopeMiddleware:
    """Works out whose request this is and opens that organization's scope around the view.

    Participant-space URLs (join, resume and the participant's own pages) are scoped by the workshop or
    participant their token names. Everything else is scoped by the signed-in user's membership.
    Anonymous requests get a scope that matches nothing, so a view that forgets a check shows nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None
        request.participant = None
        request.join_workshop = None
        organization_id = self._participant_space(request)
        if organization_id is None and request.user.is_authenticated:
            organization_id = self._membership(request)
        with organization_scope(organization_id):
            return self.get_response(request)

    def _participant_space(self, request: HttpRequest) -> int | None:
        from workshop.participants.selectors import (
            participant_by_token,
            participant_for_place_poll,
            participant_for_poll,
        )
        from workshop.workshops.selectors import workshop_by_join_token

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.namespace != "participants":
            return None
        join_token = match.kwargs.get("join_token")
        if join_token:
            request.join_workshop = workshop_by_join_token(join_token)
            cookie = request.COOKIES.get(PARTICIPANT_COOKIE, "")
            participant = participant_by_token(cookie) if cookie else None
            if participant and request.join_workshop and participant.workshop_id == request.join_workshop.id:
                request.participant = participant
            return request.join_workshop.organization_id if request.join_workshop else None
        token = match.kwargs.get("participant_token") or request.COOKIES.get(PARTICIPANT_COOKIE, "")
        poll = getattr(match.func, "participant_poll", False)
        if poll == PLACE_POLL:
            request.participant = participant_for_place_poll(token) if token else None
        elif poll:
            position = match.kwargs.get("position")
            request.participant = participant_for_poll(token, position=position) if token else None
        else:
            request.participant = participant_by_token(token) if token else None
        return request.participant.organization_id if request.participant else None

    def _membership(self, request: HttpRequest) -> int | None:
        # Resolving which organization a user acts for must look across organizations.
        with unscoped():
            memberships = list(Membership.objects.filter(user=request.user).select_related("organization"))
        if not memberships:
            return None
        wanted = request.session.get(SESSION_ORG_KEY)
        chosen = next((m for m in memberships if m.organization_id == wanted), memberships[0])
        request.membership = chosen
        request.memberships = memberships
        return chosen.organization_id

"""Every route of the project, against the other organization's members, anonymous visitors, and other
participants. The route table is read from the URLconf: a new route that is not classified here fails."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import factories
from tests.tenancy.test_scope import _scenario_yaml
from workshop.api.urls import router as api_router
from workshop.debrief.models import DebriefPacket
from workshop.participants.models import Analogy
from workshop.scenarios.services import scenario_import
from workshop.tenancy.models import Invitation, Membership
from workshop.tenancy.scope import unscoped

# How each route is protected. Adding a route means deciding which of these it is.
PUBLIC = {"root", "healthz", "login", "logout", "password_reset", "password_reset_done", "password_reset_complete",
          "set_language"}
BEARER = {"password_reset_confirm", "invitation_accept", "participants:join", "participants:resume"}
PARTICIPANT = {"participants:home", "participants:profile", "participants:profile_personality",
               "participants:profile_values", "participants:profile_life", "participants:profile_memories",
               "participants:after", "participants:done", "participants:delete",
               "participants:scenario", "participants:analogy_status",
               "participants:analogy_retry", "participants:analogy_another", "participants:packet",
               "participants:packet_download"}
MEMBER = {"facilitator:home", "facilitator:workshop_new", "facilitator:workshop", "facilitator:projector",
          "facilitator:workshop_state", "facilitator:scenarios", "facilitator:scenarios_export",
          "facilitator:scenario", "facilitator:members", "facilitator:organization", "facilitator:packet_download",
          "facilitator:monitor", "facilitator:monitor_live", "facilitator:monitor_retry", "facilitator:wall",
          "facilitator:scenario_new", "facilitator:scenario_edit", "facilitator:scenario_duplicate",
          "facilitator:member_role", "facilitator:member_remove", "facilitator:invitation_revoke", "facilitator:audit"}
MEMBER = MEMBER | {"facilitator:api_tokens"}  # each member's own API tokens (admins: the organization's)
MEMBER = MEMBER | {"facilitator:reports", "facilitator:reports_csv", "facilitator:reports_json",  # admins, analysts
                   "facilitator:reports_people", "facilitator:reports_pdf"}
# The console's composer, the projector's modes, presenter pacing; the short code (/go, /go/<code>).
MEMBER = MEMBER | {"facilitator:workshop_activities", "facilitator:workshop_settings", "facilitator:workshop_close",
                   "facilitator:projector_mode", "facilitator:room_move"}
MEMBER = MEMBER | {"facilitator:learning", "facilitator:learning_change"}  # the learning loop: admins only
# The activities' phone pages, presenter pacing's waiting page and its poll, the check-in tap: the participant's
# own (their cookie or personal link), like every other phone page; the facilitator's check-in poll: members.
PARTICIPANT = PARTICIPANT | {"participants:activity", "participants:waiting", "participants:next",
                             "participants:checkin"}
MEMBER = MEMBER | {"facilitator:checkin"}
PUBLIC = PUBLIC | {"participants:go"}
BEARER = BEARER | {"participants:go_code"}
# The REST API: the schema, its docs and the JSON 'not found' are public; every route of the router needs a token
# (tests/api/test_isolation_matrix.py walks the same router: every route, every role, the other organization).
API_PUBLIC = {"api:schema", "api:docs", "api:not_found"}
API = {f"api:{pattern.name}" for pattern in api_router.urls}
REFUSED = {302, 404, 405, 410}


def all_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.converters) or re.findall(
                r"<(?:\w+:)?(\w+)>", str(entry.pattern))


def test_every_route_is_classified():
    names = {name for name, _ in all_routes()}
    unclassified = names - PUBLIC - BEARER - PARTICIPANT - MEMBER - API_PUBLIC - API
    assert not unclassified, f"classify these routes in the isolation test: {sorted(unclassified)}"


@pytest.fixture
def world(org_a, org_b):
    """Organization A with one of everything, and its secret markers that must never leak."""
    workshop = factories.open_workshop(org_a, title="Acme secret session")
    participant, token = factories.joined_participant(workshop, "Zephyrine", memory="my secret canoe trip")
    with unscoped():
        own = scenario_import(organization=org_a.org, raw=_scenario_yaml("acme-private").encode())[0]
        packet = DebriefPacket.objects.create(organization=org_a.org, workshop=workshop, participant=participant,
                                              kind="participant", state="done")
        invitation = Invitation.objects.create(organization=org_a.org, email="new@acme.example", role="analyst")
        membership = Membership.objects.get(organization=org_a.org, user=org_a.facilitator)
    return {
        "public_id": workshop.public_id, "action": "close", "pk": own.pk, "position": 1, "page": 1,
        "membership_id": membership.pk, "invitation_id": invitation.pk,
        "join_token": workshop.join_token, "participant_token": token, "token": invitation.token,
        "code": workshop.short_code,
        "packet": packet.public_id, "uidb64": urlsafe_base64_encode(force_bytes(org_a.admin.pk)),
        "reset_token": default_token_generator.make_token(org_a.admin),
        "markers": ["Acme secret session", "Zephyrine", "secret canoe", "Private scenario", "new@acme.example"],
        "workshop": workshop,
    }


def url_for(name: str, params: list[str], world: dict) -> str:
    kwargs = {}
    for p in params:
        if name in ("participants:packet_download", "facilitator:packet_download") and p == "public_id":
            kwargs[p] = world["packet"]
        elif name == "password_reset_confirm" and p == "token":
            kwargs[p] = world["reset_token"]
        else:
            kwargs[p] = world[p]
    return reverse(name, kwargs=kwargs)


def assert_refused_without_data(response, world):
    body = response.content.decode(errors="replace")
    assert response.status_code in REFUSED, f"{response.status_code} for {response.request['PATH_INFO']}"
    if response.status_code == 302:
        location = response["Location"]
        assert "/accounts/login/" in location or location.startswith("/f/"), location
    for marker in world["markers"]:
        assert marker not in body, f"{marker!r} leaked at {response.request['PATH_INFO']}"


@pytest.mark.parametrize("who", ["anonymous", "admin", "facilitator", "analyst"])
def test_member_pages_refuse_the_other_organization_and_anonymous(client, world, org_b, who):
    if who != "anonymous":
        client.force_login(getattr(org_b, who))
    for name, params in all_routes():
        if name not in MEMBER:
            continue
        url = url_for(name, params, world)
        if params:  # a page about one of organization A's objects: refused outright
            assert_refused_without_data(client.get(url), world)
            assert_refused_without_data(client.post(url), world)
        else:  # a list or a form: may answer, but never with organization A's data
            response = client.get(url)
            if who == "anonymous":
                assert_refused_without_data(response, world)
            for marker in world["markers"]:
                assert marker not in response.content.decode(errors="replace"), f"{marker!r} leaked at {url}"
    with unscoped():
        world["workshop"].refresh_from_db()
    assert world["workshop"].state == "open", "a refused POST must not change anything"


def test_an_analyst_does_not_see_workshops_with_participant_names(client, world, org_a):
    client.force_login(org_a.analyst)
    response = client.get(reverse("facilitator:workshop", args=[world["public_id"]]))
    assert response.status_code == 404
    assert "Zephyrine" not in client.get(reverse("facilitator:home")).content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other-participant"])
def test_participant_pages_never_show_someone_elses_data(client, world, org_b, who, as_participant):
    if who == "other-participant":
        other_workshop = factories.open_workshop(org_b, title="Globex session")
        _, token = factories.joined_participant(other_workshop, "Bartholomew")
        as_participant(token)
    for name, params in all_routes():
        if name not in PARTICIPANT:
            continue
        url = url_for(name, params, world)
        for response in (client.get(url), client.post(url)):
            body = response.content.decode(errors="replace")
            for marker in world["markers"]:
                assert marker not in body, f"{marker!r} leaked at {url} to {who}"
            if who == "anonymous":
                assert response.status_code in REFUSED
    with unscoped():
        assert not Analogy.objects.filter(state="failed").exists()


def test_bearer_links_with_a_wrong_token_are_refused(client, world):
    forged = {**world, "join_token": "x" * 24, "participant_token": "y" * 43, "token": "z" * 32, "code": "QQQQQQ",
              "reset_token": "bad-token"}
    for name, params in all_routes():
        if name not in BEARER:
            continue
        response = client.get(url_for(name, params, forged))
        body = response.content.decode()
        if name == "password_reset_confirm":
            assert "expired" in body  # Django's own check of the reset token
        else:
            assert response.status_code in (404, 410), name
        for marker in world["markers"]:
            assert marker not in body

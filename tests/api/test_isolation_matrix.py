"""Every API route (read from the router, so a new one that is not covered here fails), for every role,
against the other organization's objects: 404 (or 403 where the role may not do it at all), never data.
Anonymous callers get 401 everywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.world import build_world
from workshop.api.audit import AuditEventViewSet
from workshop.api.me import MeViewSet
from workshop.api.packets import PacketViewSet
from workshop.api.participants import AnalogyViewSet, ParticipantViewSet
from workshop.api.reports import ReportViewSet
from workshop.api.scenarios import ScenarioViewSet
from workshop.api.urls import router
from workshop.api.workshops import WorkshopViewSet
from workshop.tenancy.scope import unscoped

ADMIN, FACILITATOR, ANALYST = "admin", "facilitator", "analyst"
EVERYONE = {ADMIN, FACILITATOR, ANALYST}
STAFF = {ADMIN, FACILITATOR}

# Who may do what: the console's rules, written out here independently of the views.
EXPECTED_ROLES = {
    (MeViewSet, "list"): EVERYONE,
    (ScenarioViewSet, "list"): EVERYONE, (ScenarioViewSet, "retrieve"): EVERYONE,
    (ScenarioViewSet, "versions"): EVERYONE, (ScenarioViewSet, "create"): STAFF,
    (ScenarioViewSet, "update"): STAFF, (ScenarioViewSet, "partial_update"): STAFF,
    (WorkshopViewSet, "list"): EVERYONE, (WorkshopViewSet, "retrieve"): EVERYONE,
    (WorkshopViewSet, "create"): STAFF, (WorkshopViewSet, "update"): STAFF,
    (WorkshopViewSet, "partial_update"): STAFF, (WorkshopViewSet, "open"): STAFF,
    (WorkshopViewSet, "close"): STAFF, (WorkshopViewSet, "rotate_join_link"): STAFF,
    (ParticipantViewSet, "list"): STAFF, (ParticipantViewSet, "retrieve"): STAFF,
    (AnalogyViewSet, "list"): STAFF, (AnalogyViewSet, "retrieve"): STAFF, (AnalogyViewSet, "regenerate"): STAFF,
    (ReportViewSet, "list"): {ADMIN, ANALYST},
    (PacketViewSet, "list"): EVERYONE, (PacketViewSet, "retrieve"): EVERYONE, (PacketViewSet, "download"): EVERYONE,
    (AuditEventViewSet, "list"): {ADMIN},
}

# A request body for each write, plausible enough to get past parsing. Writes to the list route create
# something in the caller's own organization; they name organization A's objects, which must not be found.
BODIES = {
    (ScenarioViewSet, "create"): {"title": "Mine", "narrative": "x", "perspective": {"name": "A", "role": "B"},
                                  "emotions": [{"label": "hurt", "intensity": 0.5}], "themes": ["exclusion"]},
    (ScenarioViewSet, "update"): {"title": "Changed"}, (ScenarioViewSet, "partial_update"): {"title": "Changed"},
    (WorkshopViewSet, "create"): {"title": "Mine", "scenarios": ["acme-private"]},
    (WorkshopViewSet, "update"): {"title": "Changed", "scenarios": ["acme-private"]},
    (WorkshopViewSet, "partial_update"): {"title": "Changed"},
}


def api_routes():
    """(route name, view class, HTTP method, action, URL parameters) for every route of the router."""
    for pattern in router.urls:
        params = list(pattern.pattern.regex.groupindex)
        if "format" in params:  # the same route with a .json suffix
            continue
        for method, action in pattern.callback.actions.items():
            yield pattern.name, pattern.callback.cls, method, action, params


ROUTES = list(api_routes())


def url_for(name: str, cls, params: list[str], world: dict, packet: str = "packet") -> str:
    objects = {WorkshopViewSet: world["workshop"], ParticipantViewSet: world["participant"],
               AnalogyViewSet: world["analogy"], PacketViewSet: world[packet]}
    kwargs = {}
    for param in params:
        if param == "key":
            kwargs["key"] = world["scenario"].slug
        elif param == "id":
            assert cls in objects, f"tell the isolation matrix which object {cls.__name__} addresses"
            kwargs["id"] = objects[cls].public_id
        else:
            raise AssertionError(f"the isolation matrix does not know the URL parameter {param!r} of {name}")
    return reverse(f"api:{name}", kwargs=kwargs)


def call(client, method: str, url: str, body: dict | None):
    return getattr(client, method)(url, body, format="json") if method in ("post", "put", "patch") else \
        getattr(client, method)(url)


def assert_no_data(response, world, where: str):
    body = response.content.decode(errors="replace")
    for marker in world["markers"]:
        assert marker not in body, f"{marker!r} leaked at {where}"


def test_every_routed_action_has_a_decided_role_table():
    routed = {(cls, action) for _name, cls, _method, action, _params in ROUTES}
    assert routed == set(EXPECTED_ROLES), f"not in the matrix: {routed - set(EXPECTED_ROLES)}"
    for (cls, action), roles in EXPECTED_ROLES.items():
        assert set(cls.roles.get(action, ())) == roles, f"{cls.__name__}.{action}"


@pytest.fixture
def world(org_a, org_b):
    return build_world(org_a)


@pytest.mark.parametrize("role", [ADMIN, FACILITATOR, ANALYST])
def test_the_other_organization_gets_404_and_never_data(api, world, org_b, role):
    client = api(org_b, role)
    for name, cls, method, action, params in ROUTES:
        url = url_for(name, cls, params, world)
        response = call(client, method, url, BODIES.get((cls, action)))
        where = f"{method.upper()} {url} as {role} of the other organization"
        allowed = role in EXPECTED_ROLES[(cls, action)]
        if not allowed:
            assert response.status_code == 403, where
        elif params:
            assert response.status_code == 404, f"{where}: {response.status_code}"
        else:
            assert response.status_code in (200, 201, 400), f"{where}: {response.status_code}"
        assert response["Content-Type"].startswith("application/json"), where
        assert_no_data(response, world, where)
    with unscoped():
        world["workshop"].refresh_from_db()
        world["analogy"].refresh_from_db()
        world["scenario"].refresh_from_db()
    assert world["workshop"].state == "open" and world["workshop"].title == "Acme secret session"
    assert world["analogy"].state == "failed", "a refused regenerate must not requeue anything"
    assert world["scenario"].is_current and world["scenario"].version == 1


def test_anonymous_callers_get_401_everywhere(api, world):
    client = api()
    for name, cls, method, action, params in ROUTES:
        url = url_for(name, cls, params, world)
        response = call(client, method, url, BODIES.get((cls, action)))
        assert response.status_code == 401, f"{method.upper()} {url}: {response.status_code}"
        assert response.json()["errors"][0]["code"] == "not_authenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert_no_data(response, world, url)


@pytest.mark.parametrize("role", [ADMIN, FACILITATOR, ANALYST])
def test_members_get_what_their_role_allows_in_their_own_organization(api, world, org_a, role):
    client = api(org_a, role)
    for name, cls, method, action, params in ROUTES:
        # Analysts get the session's aggregate packet only, and no role downloads a participant's packet
        # (tests/api/test_packets_and_audit.py: their download is a 403 private_packet).
        packet = "facilitator_packet" if role == ANALYST or action == "download" else "packet"
        url = url_for(name, cls, params, world, packet=packet)
        response = call(client, method, url, BODIES.get((cls, action)))
        where = f"{method.upper()} {url} as {role}"
        if role in EXPECTED_ROLES[(cls, action)]:
            assert response.status_code in (200, 201, 202, 400, 409), f"{where}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{where}: {response.status_code}"
            assert_no_data(response, world, where)

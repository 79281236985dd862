"""A JSON body nested thousands of levels deep is a 400 in the API's error shape on every write route, never a
500 (Python's json module used to raise RecursionError on it)."""

from __future__ import annotations

import json

import pytest

from tests.api.test_isolation_matrix import ROUTES, url_for
from tests.api.world import build_world
from workshop.api.parsers import MAX_DEPTH, json_too_deep

DEEP = '{"title": ' + "[" * 3000 + "]" * 3000 + "}"
WRITES = [route for route in ROUTES if route[2] in ("post", "put", "patch")]


def test_there_are_write_routes_to_check():
    assert {action for _, _, _, action, _ in WRITES} >= {"create", "update", "partial_update", "open", "close"}


@pytest.mark.parametrize("name, cls, method, action, params", WRITES, ids=[f"{r[0]}-{r[2]}" for r in WRITES])
def test_a_body_nested_3000_levels_deep_is_a_400_naming_the_field(api, org_a, name, cls, method, action, params):
    world = build_world(org_a)
    url = url_for(name, cls, params, world)

    response = getattr(api(org_a, "admin"), method)(url, data=DEEP, content_type="application/json")

    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"errors": [{
        "field": "title", "code": "too_deep", "message": f"The JSON is nested more than {MAX_DEPTH} levels deep."}]}


def test_a_deep_top_level_array_is_refused_under_body(api, org_a):
    response = api(org_a, "admin").post("/api/v1/scenarios/", data="[" * 3000 + "]" * 3000,
                                        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


def test_brackets_inside_strings_do_not_count_and_ordinary_bodies_still_parse(api, org_a):
    title = "[" * 200 + "{" * 200 + '\\"'
    response = api(org_a, "admin").post("/api/v1/scenarios/", data=json.dumps({"title": title}),
                                        content_type="application/json")
    assert response.status_code == 400  # the scenario is incomplete, so the serializer refuses it ...
    assert "too_deep" not in response.content.decode()  # ... but not for its depth
    assert json_too_deep(json.dumps({"a": [[[[{"b": ["c"]}]]]]})) == (False, None)
    assert json_too_deep("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == (True, None)
    assert json_too_deep("[" * MAX_DEPTH + "]" * MAX_DEPTH) == (False, None)


def test_malformed_json_is_still_a_parse_error(api, org_a):
    response = api(org_a, "admin").post("/api/v1/scenarios/", data='{"title": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"

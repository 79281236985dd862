"""Schemathesis in-process on the test database: a few examples per operation against organization A's
data with an admin token (CI also runs it against gunicorn on the demo, with more examples and every check)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from tests.api.conftest import token_for
from tests.api.world import build_world
from workshop.wsgi import application

# A few random examples per operation, as before: not the coverage phase's many deterministic cases (the CLI run
# in CI goes further).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}}))
# What the response says, whatever was sent (positive and negative data): no server error, and the status, the
# content type, the headers and the body as the schema documents them.
RESPONSE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_headers_conformance, response_schema_conformance]


@pytest.fixture
def keep_the_test_connection():
    """The WSGI handler closes the database connection after each request; the test client does not. Do as
    it does, or the test's transaction would be closed under it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(org_a, keep_the_test_connection):
    build_world(org_a)
    return token_for(org_a, "admin")


@schema.parametrize()
@settings(max_examples=3, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_to_its_schema(case, admin_token):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {admin_token}"}
    case.call_and_validate(checks=RESPONSE_CHECKS)

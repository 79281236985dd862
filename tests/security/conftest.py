"""Shared with the attack tests: the isolation test's world (organization A with one of everything) and the
browser of the e2e tests."""

from tests.e2e.conftest import browser  # noqa: F401  (a fixture, shared)
from tests.tenancy.test_isolation import world  # noqa: F401  (a fixture, shared)

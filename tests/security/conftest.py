"""Shared with the attack tests: the isolation test's world (organization A with one of everything).
Browser tests live in tests/e2e, which owns the one chromium of the session (a second Playwright started from
another conftest would run inside the first one's event loop and fail)."""

from tests.tenancy.test_isolation import world  # noqa: F401  (a fixture, shared)

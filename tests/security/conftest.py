"""The isolation test's world (organization A with one of everything) serves the attack tests too."""

from tests.tenancy.test_isolation import world  # noqa: F401  (a fixture, shared)

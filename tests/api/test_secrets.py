"""Secrets never appear in an API response: the organization's LLM key, API token keys (the caller's own
included), participants' tokens, memories and private reflections."""

from django.urls import reverse

from tests.api.conftest import token_for
from tests.api.test_isolation_matrix import ROUTES, url_for
from tests.api.world import build_world
from workshop.api.models import ApiToken
from workshop.tenancy.scope import unscoped

LLM_KEY = "sk-live-THIS-MUST-NEVER-LEAK-1234567890"


def test_no_response_carries_a_secret(api, org_a):
    world = build_world(org_a)
    with unscoped():
        org_a.org.set_llm_api_key(LLM_KEY)
        org_a.org.save()
        key_hashes = list(ApiToken.objects.values_list("key_hash", flat=True))
    other_key = token_for(org_a, "facilitator", name="another")
    secrets = [LLM_KEY, org_a.org.llm_api_key_encrypted, other_key, world["participant_token"], "secret canoe",
               "private reflection", *key_hashes]
    for role in ("admin", "facilitator", "analyst"):
        key = token_for(org_a, role, name=f"crawler-{role}")
        client = api()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        pages = [url_for(name, cls, params, world) for name, cls, method, _action, params in ROUTES
                 if method == "get" and not name.endswith("download")]
        pages += ["/api/schema/", reverse("api:docs")]
        for url in pages:
            body = client.get(url, {"page_size": 200}).content.decode()
            for secret in [*secrets, key]:
                assert secret not in body, f"a secret leaked at {url} to {role}"
        with unscoped():
            hashes = list(ApiToken.objects.values_list("key_hash", flat=True))
        audit = client.get("/api/v1/audit-events/", {"page_size": 200}).content.decode()
        assert not any(h in audit for h in hashes)

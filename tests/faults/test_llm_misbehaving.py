"""The LLM server misbehaves: about 30% of calls answer 500, some 429 with Retry-After, some time out, some answer
garbage or the wrong schema. With a real worker every participant still gets an analogy, and each analogy records
how it was made: the engine, the attempts, and why the built-in engine answered when it did."""

import pytest

from tests import factories
from tests.conftest import wait_for

from .conftest import all_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

# Participants whose every call fails one way, so each way is seen through to the built-in engine.
ALWAYS = {
    "beekeeping": ("status_500", "openai: 500 server error after 3 retries"),
    "falconry": ("status_429", "openai: 429 rate limited after 3 retries"),
    "karaoke": ("timeout", "openai: timeout after 3 retries"),
    "origami": ("garbage", "openai: invalid output after repair"),
}
# Everyone else meets the random mix.
MIX = {"status_500": 0.3, "status_429": 0.1, "timeout": 0.1, "garbage": 0.1, "bad_schema": 0.1}
OTHERS = ["sailing", "pottery", "chess club", "choir", "rowing", "baking", "cycling", "jazz"]


def test_every_participant_gets_an_analogy_and_each_says_how_it_was_made(start_worker, llm_workshop, llm_server):
    llm_server.settings.retry_after = "1"
    llm_server.settings.timeout_sleep_s = 2.5  # the worker's LLM timeout is 1 s
    for domain, (fault, _reason) in ALWAYS.items():
        llm_server.fault_for(domain, fault)
    llm_server.push("bad_schema", target="analogy")  # at least one, whatever the draws
    llm_server.fault_mix(MIX, seed=8)
    # Mostly waiting on the network, so more processes than CPUs.
    start_worker("llm", concurrency=4, LLM_TIMEOUT_SECONDS="1")
    people = {domain: factories.joined_participant(llm_workshop, f"P{i}", domains=[domain])[0]
              for i, domain in enumerate([*ALWAYS, *OTHERS])}

    rows = wait_for(lambda: all_done(llm_workshop, len(people)), timeout=150, what="every participant's analogy")

    by_participant = {analogy.participant_id: analogy for analogy in rows}
    for domain, (_fault, reason) in ALWAYS.items():
        analogy = by_participant[people[domain].id]
        assert analogy.engine == "builtin" and analogy.fallback_reason.startswith(reason), analogy.fallback_reason
    for analogy in rows:
        assert analogy.attempts == 1 and analogy.text and len(analogy.mapping) >= 3 and all(analogy.checks.values())
        if analogy.engine == "openai":
            assert analogy.fallback_reason == "" and analogy.tokens_in > 0 and analogy.tokens_out > 0
        else:
            assert analogy.engine == "builtin" and analogy.fallback_reason.startswith("openai: ")
    assert sum(analogy.engine == "openai" for analogy in rows) >= len(OTHERS) // 2, "most still come from the LLM"
    served = {request.fault for request in llm_server.chat_requests()}
    assert {"status_500", "status_429", "timeout", "garbage", "bad_schema", ""} <= served

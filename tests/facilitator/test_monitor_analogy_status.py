"""Each participant's analogy status per scenario, with the built-in fallback named as such."""

from django.urls import reverse

from tests.facilitator.rooms import room


def _statuses(client, workshop) -> dict[str, list[str]]:
    response = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id]))
    return {row.pseudonym: [s.label for s in row.statuses] for row in response.context["rows"]}


def test_it_shows_queued_being_written_done_and_failed(client, org_a, workshop_a):
    room(workshop_a, 1, prefix="Queued", analogy="pending")
    room(workshop_a, 1, prefix="Writing", analogy="running")
    room(workshop_a, 1, prefix="Ready", analogy="done")
    room(workshop_a, 1, prefix="Broken", analogy="failed")
    client.force_login(org_a.facilitator)

    statuses = _statuses(client, workshop_a)

    assert statuses["Queued 000"] == ["Queued", "Queued"]
    assert statuses["Writing 000"] == ["Being written", "Being written"]
    assert statuses["Ready 000"] == ["Done", "Done"]
    assert statuses["Broken 000"] == ["Failed", "Failed"]


def test_an_analogy_the_builtin_engine_answered_for_the_llm_says_so(client, org_a, workshop_a):
    room(workshop_a, 1, prefix="Fallback", analogy="done", fallback_reason="openai: no LLM endpoint is configured")
    client.force_login(org_a.facilitator)

    body = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()

    assert _statuses(client, workshop_a)["Fallback 000"] == ["Answered by the built-in fallback"] * 2
    assert "Answered by the built-in fallback" in body
    assert 'title="openai: no LLM endpoint is configured"' in body


def test_only_failed_analogies_get_a_retry_button(client, org_a, workshop_a):
    room(workshop_a, 1, prefix="Ready", analogy="done")
    client.force_login(org_a.facilitator)
    assert ">Retry<" not in client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()

    room(workshop_a, 1, prefix="Broken", analogy="failed")
    body = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()
    assert body.count(">Retry<") == 2
    assert "Retry Broken 000's analogy for scenario 1" in body

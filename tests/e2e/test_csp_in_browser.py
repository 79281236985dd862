"""The Content-Security-Policy in a real chromium: the pages whose scripts matter (new workshop, projector, live
monitor, a participant waiting for their analogy) run with no violation reported, and their scripts do their
job under the policy. A browser reports every refused script, style or connection as a
securitypolicyviolation event; a listener installed before any page script collects them."""

import pytest

from tests import factories
from workshop.participants.models import Analogy
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" +
                    e.lineNumber);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_the_scripted_pages_run_under_the_policy_without_a_single_violation(browser, live_server, org_a):
    library = factories.builtin_scenarios()
    first, second = library[0], library[1]
    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    laptop.add_init_script(COLLECT)
    desk = laptop.new_page()
    refused_messages = []
    desk.on("console", lambda m: refused_messages.append(m.text) if "Content Security Policy" in m.text else None)
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.get_by_label("Username").fill(org_a.facilitator.username)
    desk.get_by_label("Password").fill(factories.PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.wait_for_url(f"{live_server.url}/f/")

    # The new-workshop page keeps the order scenarios were ticked in (static/js/workshop_new.js).
    desk.goto(f"{live_server.url}/f/workshops/new/")
    desk.get_by_label("Workshop title").fill("Policy check")
    desk.locator(f".scenario-list input[value='{second.pk}']").check()
    desk.locator(f".scenario-list input[value='{first.pk}']").check()
    assert violations(desk) == []
    desk.get_by_role("button", name="Create workshop").click()
    desk.get_by_role("button", name="Open for joining").click()
    with unscoped():
        workshop = Workshop.objects.get(title="Policy check")
        order = list(workshop.workshop_scenarios.order_by("position").values_list("scenario_id", flat=True))
    assert order == [second.pk, first.pk], "the ordering script did not run"
    assert violations(desk) == []

    # Projector and monitor poll and update in place (static/js/monitor.js).
    participant, token = factories.joined_participant(workshop, "Quinn", domains=["choir"])
    for path in (f"/f/workshops/{workshop.public_id}/projector/", f"/f/workshops/{workshop.public_id}/monitor/"):
        desk.goto(live_server.url + path)
        with desk.expect_response(lambda r: "/live/" in r.url or "/projector/" in r.url, timeout=20_000):
            pass
        assert violations(desk) == [], path

    # A participant waiting for their analogy: the status script polls (static/js/live.js).
    phone = browser.new_context(viewport={"width": 360, "height": 740})
    phone.add_init_script(COLLECT)
    page = phone.new_page()
    page.on("console", lambda m: refused_messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/r/{token}/")
    page.goto(f"{live_server.url}/p/s/1/")
    for i in range(3):
        page.locator("fieldset.choices").nth(i).locator("label.option").first.click()
    with unscoped():
        Analogy.objects.filter(participant=participant).update(state="pending", claim="")  # no worker: it waits
    page.locator("form.card button[type=submit]").first.click()
    with page.expect_response(lambda r: r.url.endswith("/status"), timeout=20_000):
        pass
    assert violations(page) == []
    assert refused_messages == []
    laptop.close()
    phone.close()

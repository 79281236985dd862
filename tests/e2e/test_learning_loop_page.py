"""The admin's learning-loop page in chromium: reached from the settings, pause works, axe-core passes, and
another organization sees only its own loop."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import factories
from tests.learning.rooms import room_with
from workshop.learning.models import LoopSettings
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHOIR = "domain:faith:imagined:mixed"
BAKING = "domain:cooking_food:imagined:mixed"


def signed_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/f/")
    return context, page


def test_the_admin_sees_the_loop_and_pauses_it_and_another_organization_sees_only_its_own(
        browser, live_server, org_a, org_b, screenshots):
    room_with(org_a, {CHOIR: [5, 4, 5, 5, 4, 5], BAKING: [2, 1, 3, 2, 2, 1]})
    context, page = signed_in(browser, live_server, org_a.admin)
    page.goto(live_server.url + reverse("facilitator:organization"))
    page.get_by_role("link", name="The learning loop: what helps, and its controls").click()
    page.wait_for_url(live_server.url + reverse("facilitator:learning"))
    table = page.locator("#loop-strategies")
    assert "Their own life domain (faith community)" in table.inner_text()
    assert "Running" in page.locator("#loop-state").inner_text()
    page.screenshot(path=screenshots / "learning-loop.png", full_page=True)
    results = Axe().run(page)
    assert not results.violations_count, results.generate_report()
    page.locator("#loop-pause").click()
    page.wait_for_selector("#loop-resume")
    assert "Paused" in page.locator("#loop-state").inner_text()
    with unscoped():
        assert LoopSettings.objects.get(organization=org_a.org).state == "paused"
    context.close()

    context, page = signed_in(browser, live_server, org_b.admin)
    page.goto(live_server.url + reverse("facilitator:learning"))
    assert "Globex" in page.locator("h1").inner_text()
    assert "faith" not in page.content() and page.locator("#loop-empty").is_visible()
    assert "Running" in page.locator("#loop-state").inner_text()  # Acme's pause is Acme's
    context.close()

    context, page = signed_in(browser, live_server, org_b.facilitator)
    response = page.goto(live_server.url + reverse("facilitator:learning"))
    assert response.status == 404
    context.close()

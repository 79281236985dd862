"""The report page, with figures, hidden groups and a bad filter, passes axe-core in chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import factories
from tests.reports.conftest import add_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_report_page_passes_axe_with_figures_hidden_groups_and_errors(browser, live_server, org_a):
    workshop = factories.open_workshop(org_a, title="Accessible session")
    add_people(workshop, 12)
    add_people(workshop, 3, condition="generic")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(org_a.analyst.username)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/f/")
    axe, problems = Axe(), []
    for query in ("", "?date_from=yesterday"):
        page.goto(live_server.url + reverse("facilitator:reports") + query)
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"{query or 'report'}:\n{results.generate_report()}")
    assert "fewer than 5" in page.goto(live_server.url + reverse("facilitator:reports")).text()
    context.close()
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)

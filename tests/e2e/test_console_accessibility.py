"""Every console page an admin can reach, in English and in Korean, passes axe-core in chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import factories
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Invitation, Membership
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def console_pages(org_a, workshop) -> list[tuple[str, str]]:
    with unscoped():
        builtin = Scenario.objects.filter(organization__isnull=True, is_current=True).first()
        member = Membership.objects.get(user=org_a.analyst)
        invitation = Invitation.objects.create(organization=org_a.org, email="new@acme.example", role="analyst")
    return [
        ("home", reverse("facilitator:home")),
        ("new-workshop", reverse("facilitator:workshop_new")),
        ("workshop", reverse("facilitator:workshop", args=[workshop.public_id])),
        ("monitor", reverse("facilitator:monitor", args=[workshop.public_id])),
        ("library", reverse("facilitator:scenarios")),
        ("library-filtered", reverse("facilitator:scenarios") + "?theme=exclusion"),
        ("scenario", reverse("facilitator:scenario", args=[builtin.pk])),
        ("scenario-new", reverse("facilitator:scenario_new")),
        ("members", reverse("facilitator:members")),
        ("member-role", reverse("facilitator:member_role", args=[member.pk])),
        ("member-remove", reverse("facilitator:member_remove", args=[member.pk])),
        ("settings", reverse("facilitator:organization")),
        ("audit", reverse("facilitator:audit")),
        ("invitation", reverse("invitation_accept", args=[invitation.token])),
        ("password-reset", reverse("password_reset")),
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_console_page_passes_axe(browser, live_server, org_a, screenshots, language):
    factories.builtin_scenarios()
    workshop = factories.open_workshop(org_a, title="Accessible session")
    factories.joined_participant(workshop, "Noa", domains=["choir"])
    context = browser.new_context(viewport={"width": 1366, "height": 900},
                                  locale="ko-KR" if language == "ko" else "en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(org_a.admin.username)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/f/")
    assert page.locator("html").get_attribute("lang") == language
    axe, problems = Axe(), []
    for name, path in console_pages(org_a, workshop):
        if name == "invitation":
            context.clear_cookies()
        page.goto(live_server.url + path)
        page.screenshot(path=str(screenshots / f"console-{language}-{name}.png"), full_page=True)
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"{name} ({path}):\n{results.generate_report()}")
    context.close()
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)

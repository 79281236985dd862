"""A facilitator prepares, runs and closes a workshop in chromium: the projector on a 1920x1080 screen,
the live monitor on a laptop, three people finishing on phones, then the packets. Every console page is
checked by axe-core and photographed."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.e2e.phone import Phone
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
_axe = Axe()


class Console:
    def __init__(self, page, shots, name):
        self.page, self.shots, self.name, self.step, self.violations = page, shots, name, 0, []

    def check(self, label):
        self.step += 1
        self.page.screenshot(path=str(self.shots / f"{self.name}-{self.step:02d}-{label}.png"), full_page=True)
        results = _axe.run(self.page)
        if results.violations_count:
            self.violations.append(f"{label} ({self.page.url}):\n{results.generate_report()}")


def wait_until_true(page, expression: str, *, timeout: float):
    """Poll a JavaScript expression. Playwright's wait_for_function evaluates strings with eval(), which the
    site's Content-Security-Policy (no 'unsafe-eval') refuses; page.evaluate goes through DevTools instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {expression}")
        page.wait_for_timeout(250)


def test_a_new_facilitator_prepares_runs_and_closes_a_workshop(browser, live_server, celery_worker, org_a,
                                                               screenshots):
    factories.builtin_scenarios()
    with unscoped():  # three people are a whole batch: their figures and reflections reach the room
        org_a.org.anonymity_k = 3
        org_a.org.save(update_fields=["anonymity_k"])
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    desk = Console(laptop.new_page(), screenshots, "console")
    page = desk.page
    page.goto(f"{live_server.url}/")
    desk.check("sign-in")
    page.get_by_label("Username").fill(org_a.facilitator.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    desk.check("workshops")

    page.get_by_role("link", name="Scenario library").click()
    desk.check("library")
    page.get_by_role("link", name="Workshops", exact=True).click()
    page.get_by_role("link", name="New workshop").click()
    desk.check("new-workshop")
    page.get_by_label("Workshop title").fill("Thursday team session")
    page.get_by_label("The rota she used to write —").check()
    page.get_by_label("The lead who leaves at four —").check()
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("button", name="Open for joining").click()
    desk.check("workshop-open")
    join_url = page.locator("#join-url").inner_text().strip()
    assert re.search(r"/j/[A-Za-z0-9_-]{22,}/$", join_url)

    projector = Console(laptop.new_page(), screenshots, "projector")  # a second window, on the big screen
    projector.page.set_viewport_size({"width": 1920, "height": 1080})
    projector.page.goto(page.url + "projector/")
    projector.check("projector-empty")
    assert projector.page.locator("#joined-count").inner_text().strip() == "0"

    page.get_by_role("link", name="Live monitor").click()
    desk.check("monitor-empty")

    phones = [Phone(browser, name, screenshots) for name in ("Jun", "Lea", "Omar")]
    for phone in phones:
        phone.join(join_url)
    # The projector counts the room without anyone touching it.
    wait_until_true(projector.page, "document.querySelector('#joined-count').textContent.trim() === '3'",
                    timeout=20)
    projector.check("projector-three-joined")
    for phone, domains in zip(phones, ("rowing, my two kids", "choir, gardening", "chess club, cooking"),
                              strict=True):
        phone.profile(domains=domains, memory="A decision about me was made while I was away.")
    for _scenario in (1, 2):
        for phone in phones:
            phone.before()
            phone.analogy_text()
            phone.after(reflection="It felt close to home.", share=True)

    # The monitor, polling on its own, shows all three finished.
    wait_until_true(page, "document.querySelector('#step-done').textContent.trim() === '3'", timeout=20)
    desk.check("monitor-finished")
    assert page.get_by_text("Jun", exact=True).first.is_visible()
    page.get_by_role("button", name="Reveal the wall on the projector").click()
    wait_until_true(projector.page, "document.body.textContent.includes('It felt close to home')", timeout=20)
    projector.check("projector-wall")
    wall_text = projector.page.locator("body").inner_text()
    assert not any(name in wall_text for name in ("Jun", "Lea", "Omar")), "the wall never shows names"

    page.get_by_role("link", name="Workshops", exact=True).click()
    page.get_by_role("link", name="Thursday team session").click()
    page.get_by_role("link", name="Close workshop").click()
    page.get_by_role("button", name="Close the workshop now").click()
    wait_until_true(
        page, "document.querySelector('progress') && document.querySelector('progress').value == "
        "document.querySelector('progress').max", timeout=90)
    page.reload()
    desk.check("closed-with-packets")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the facilitator packet (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    problems = desk.violations + projector.violations + [v for p in phones for v in p.violations]
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)
    for context in (laptop, *(p.context for p in phones)):
        context.close()

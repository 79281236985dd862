"""A whole workshop in a real browser: a facilitator on a laptop, an employee on a phone, a real worker."""

import io
import re

import pytest
from pypdf import PdfReader

from tests import factories
from tests.e2e.phone import Phone

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_runs_a_workshop_and_an_employee_gets_their_own_analogy_and_pdf(
        browser, live_server, celery_worker, org_a, screenshots):
    factories.builtin_scenarios()

    # The facilitator signs in, builds a workshop from the library and opens it.
    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = laptop.new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.get_by_label("Username").fill(org_a.facilitator.username)
    desk.get_by_label("Password").fill(factories.PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.get_by_role("link", name="New workshop").click()
    desk.get_by_label("Workshop title").fill("Monday listening session")
    desk.get_by_label("The lead who leaves at four —").check()
    desk.get_by_label("The idea that counted the second time —").check()
    desk.get_by_role("button", name="Create workshop").click()
    desk.get_by_role("button", name="Open for joining").click()
    join_url = desk.locator("#join-url").inner_text().strip()
    assert re.search(r"/j/[A-Za-z0-9_-]{22,}/$", join_url)
    assert desk.locator(".qr svg path").count() == 1
    desk.screenshot(path=str(screenshots / "facilitator-workshop.png"), full_page=True)

    # An employee joins on a phone, in another browser, with no account.
    phone = Phone(browser, "Tomasz", screenshots)
    visitor = phone.page
    phone.join(join_url)
    assert visitor.get_by_text("Monday listening session").first.is_visible()
    phone.profile(domains="amateur football, beekeeping",
                  memory="The coach picked the cup final team without asking me and I sat on the bench.")
    phone.before()

    # The worker writes the analogy; the page notices without a manual reload.
    text = phone.analogy_text().lower()
    assert any(word in text for word in ("football", "coach", "bench", "beekeeping")), text

    # The employee makes and downloads their own PDF.
    visitor.get_by_role("link", name="Overview").click()
    visitor.get_by_role("link", name="My summary").click()
    visitor.get_by_role("link", name="Get my PDF").click()
    visitor.get_by_role("button", name="Make my PDF").click()
    download_link = visitor.get_by_role("link", name="Download my PDF")
    download_link.wait_for(timeout=60_000)
    with visitor.expect_download() as info:
        download_link.click()
    pdf_path = info.value.path()
    assert info.value.suggested_filename.startswith("debrief-monday-listening-session-tomasz")
    reader = PdfReader(io.BytesIO(open(pdf_path, "rb").read()))
    pdf_text = " ".join(page.extract_text() for page in reader.pages)
    assert "Tomasz" in pdf_text and "Monday listening session" in pdf_text

    # The facilitator sees who joined, and the projector view shows the count.
    desk.goto(desk.url)  # the page also refreshes itself; a fresh load avoids racing that
    assert desk.get_by_role("cell", name="Tomasz").is_visible()
    desk.get_by_role("link", name="Projector view").click()
    assert desk.locator("#joined-count").inner_text().strip() == "1"
    desk.screenshot(path=str(screenshots / "projector.png"))
    laptop.close()
    phone.context.close()
    assert not phone.violations, "\n".join(phone.violations)

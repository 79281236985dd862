"""The room in chromium: a facilitator composes a presenter-paced workshop from activities in the console, opens
it, and puts the projector up at 1920x1080; a phone types the short code (in lower case, with a space) at /go
and joins; once it has finished the first activity it waits; the facilitator moves the room on from the
projector's keys and the phone follows within seconds. The projector's modes, at 1920x1080 and 1280x720, each
pass axe-core and are photographed; the wall, longer than one screen, is paged."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.e2e.phone import Phone
from tests.facilitator.rooms import room
from workshop.activities.empathy_map_services import map_notes_save, map_questions_save
from workshop.participants.models import Participant
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
_axe = Axe()


def wait_until(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def finish_the_map(participant: Participant, workshop: Workshop) -> None:
    """What four pages of the phone's empathy map would save (tested in tests/activities)."""
    with unscoped():
        activity = workshop.activities.get(position=1)
        note = [{"text": "She stays quiet", "source": "scenario"}]
        for step, parts in (("goal", ["goal"]), ("observe", ["see", "say", "do", "hear"]),
                            ("inside", ["think_feel", "pains", "gains"])):
            map_notes_save(participant=participant, activity=activity, step=step,
                           notes={part: note for part in parts})
        map_questions_save(participant=participant, activity=activity, questions=["How was it?"], shared=True)


def test_a_presenter_paced_room_follows_the_facilitator_from_the_projector(browser, live_server, org_a, screenshots):
    scenario = factories.builtin_scenarios()[0]
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.save(update_fields=["anonymity_k"])
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    desk = laptop.new_page()
    desk.goto(f"{live_server.url}/")
    desk.get_by_label("Username").fill(org_a.facilitator.username)
    desk.get_by_label("Password").fill(factories.PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.goto(f"{live_server.url}/f/workshops/new/")

    desk.get_by_label("Workshop title").fill("Paced room")
    desk.locator(f"input[name=scenarios][value='{scenario.id}']").check()
    desk.get_by_role("button", name="Start from the ticked scenarios").click()
    desk.locator("#act-0-kind").select_option("empathy_map")
    desk.get_by_role("button", name="Add an activity").click()
    desk.locator("#act-1-kind").select_option("commitment")
    desk.get_by_label("Presenter-paced").check()
    assert desk.locator("#act-1-kind").input_value() == "commitment", "the rows keep what was chosen"
    desk.get_by_label("Workshop title").press("Enter")  # Enter creates the workshop, never edits a row
    desk.screenshot(path=str(screenshots / "room-01-created.png"), full_page=True)
    desk.get_by_role("button", name="Open for joining").click()
    with unscoped():
        workshop = Workshop.objects.get(title="Paced room")
        assert [a.kind for a in workshop.activities.order_by("position")] == ["empathy_map", "commitment"]
    assert workshop.pacing == "presenter"

    projector = laptop.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{live_server.url}/f/workshops/{workshop.public_id}/projector/")
    code = projector.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{3} [A-Z0-9]{3}", code) and code.replace(" ", "") == workshop.short_code
    shots = {}

    phone = Phone(browser, "Mina", screenshots)
    phone.page.goto(f"{live_server.url}/go")
    phone.check("go")
    phone.page.get_by_label("Code on the screen").fill(code.lower())
    phone.page.get_by_role("button", name="Join").click()
    assert f"/j/{workshop.join_token}/" in phone.page.url
    phone.page.locator("input[name=pseudonym]").fill("Mina")
    phone.page.locator("input[name=consent]").check()
    phone.submit()
    assert re.search(r"/p/(a/1/)?$", phone.page.url), phone.page.url  # the overview or the first activity
    wait_until(lambda: projector.locator("#joined-count").inner_text().strip() == "1", timeout=15,
               what="the projector to count the phone")

    with unscoped():
        finish_the_map(Participant.objects.get(workshop=workshop), workshop)
    phone.page.goto(f"{live_server.url}/p/a/2/")  # trying to go on before the room does
    assert "/p/waiting/" in phone.page.url
    phone.check("waiting")

    with projector.expect_navigation():
        projector.keyboard.press("a")
    assert "Activity 1 of 2" in projector.locator("#projector-live").inner_text()
    started = time.monotonic()
    with projector.expect_navigation():
        projector.keyboard.press("n")  # a presenter's clicker: next activity
    phone.page.wait_for_url("**/p/a/2/", timeout=10_000)  # the phone polls /p/next by itself
    followed = time.monotonic() - started
    assert followed < 6, f"the phone followed after {followed:.1f}s"
    assert "Activity 2 of 2" in projector.locator("#projector-live").inner_text()
    phone.check("followed")

    room(workshop, 14, prefix="Writer", before=True, after=True, reflection="A thought worth sharing, "
         "long enough to take a few lines on the big screen of the room.", share=True)
    problems = []
    for width, height in ((1920, 1080), (1280, 720)):
        projector.set_viewport_size({"width": width, "height": height})
        for key, mode in (("j", "join"), ("a", "activity"), ("r", "result"), ("w", "wall")):
            with projector.expect_navigation():
                projector.keyboard.press(key)  # the controls' form is posted; the page comes back in that mode
            assert f"mode-{mode}" in projector.evaluate("document.body.className")
            projector.wait_for_timeout(400)
            projector.screenshot(path=str(screenshots / f"room-projector-{width}-{mode}.png"))
            shots[(width, mode)] = projector.evaluate("document.documentElement.scrollHeight")
            results = _axe.run(projector)
            if results.violations_count:
                problems.append(f"{mode} at {width}: {results.generate_report()}")
        cards = projector.locator(".wall-cards li")
        visible = sum(cards.nth(i).is_visible() for i in range(cards.count()))
        assert cards.count() == 14 and 0 < visible < 14, "a wall longer than the screen turns its pages"
        status = projector.locator("[data-pager-status]").inner_text()
        assert re.fullmatch(r"1 / [2-9]", status), status
    for (width, mode), height in shots.items():
        if mode != "wall":
            assert height <= {1920: 1080, 1280: 720}[width] + 2, f"the {mode} screen scrolls at {width}: {height}px"
    assert not problems, "\n".join(problems)
    lost = Phone(browser, "Lost", screenshots)  # a phone whose browser forgot its session
    lost.page.goto(f"{live_server.url}/p/done/")
    assert lost.page.get_by_role("heading", name="Rejoin with your link").is_visible()
    lost.check("lost-session")
    lost.page.get_by_role("link", name="Enter the code on the screen").click()
    assert lost.page.url.endswith("/go")
    assert not phone.violations + lost.violations, phone.violations + lost.violations
    for context in (laptop, phone.context, lost.context):
        context.close()

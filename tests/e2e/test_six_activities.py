"""A workshop of all six activity kinds in real browsers: the facilitator composes it in the console and paces the
room from the monitor, the projector follows, five phones run it (one late, so the listening lab's groups
rebalance), the packets carry the activities, a week later the personal link offers the check-in (moved
clock), and the organization's report shows the activity sections. A real worker writes the analogies."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader

from tests import factories
from tests.conftest import wait_for
from tests.e2e.phone import Phone
from workshop.participants.models import ActivityRecord, Participant
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop, WorkshopActivity

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

K = 3
PLAN = [("analogy", "The lead who leaves at four"), ("perspective", "The lead who leaves at four"),
        ("empathy_map", "The idea that counted the second time"), ("listening", None),
        ("bystander", "The lead who leaves at four"), ("commitment", "The lead who leaves at four")]
WORDS = {
    "paraphrase": "You felt your work counted less because you leave at four.",
    "feeling": "frustrated and unseen",
    "question": "What would help you feel your work is seen?",
    "situation": "a colleague leaves early for their family",
    "action": "judge their work by its results, not by the hours",
}
SENTENCE = "He needs his manager to judge the work, not the hours."


def fill_and_send(page) -> bool:
    """Fills the step form on a phone page as a participant would (a choice in every group, the sharing choice
    on 'share', words in every empty text box) and sends it. False when the page has no step form (it is
    waiting for the others)."""
    forms = page.locator("main form[method=post]:not(.checkin-form)")
    for i in range(forms.count()):
        form = forms.nth(i)
        button = form.locator("button[type=submit]:not(.secondary)")
        if not form.is_visible() or button.count() == 0:
            continue
        form.evaluate("""(form, words) => {
            const groups = {};
            for (const input of form.querySelectorAll('input[type=radio], input[type=checkbox]')) {
                (groups[input.name] = groups[input.name] || []).push(input);
            }
            for (const [name, inputs] of Object.entries(groups)) {
                if (inputs.some(i => i.checked)) continue;
                const share = inputs.find(i => i.value === 'share');
                const pick = share ? [share] : (inputs[0].type === 'checkbox' ? inputs.slice(0, 2) : [inputs[0]]);
                for (const input of pick) {
                    input.checked = true;
                    input.dispatchEvent(new Event('change', {bubbles: true}));
                }
            }
            for (const box of form.querySelectorAll('textarea, input[type=text]')) {
                if (box.value.trim() || box.readOnly || box.type === 'hidden') continue;
                const key = Object.keys(words.named).find(k => box.name.includes(k));
                box.value = key ? words.named[key] : words.sentence;
            }
            for (const select of form.querySelectorAll('select')) {
                if (!select.value && select.options.length > 1) select.selectedIndex = 1;
            }
        }""", {"named": WORDS, "sentence": SENTENCE})
        button.first.click()
        page.wait_for_load_state()
        return True
    return False


def analogy_activity(phone: Phone) -> None:
    phone.page.wait_for_url(re.compile(r"/p/s/1/"))
    phone.before()
    phone.analogy_text()
    phone.after(reflection="It felt like being judged by the clock, not the work.", share=True)


def run_until(phones: list[Phone], done, *, what: str, timeout: float = 180) -> None:
    """Each phone fills whatever its page asks until ``done(phone)``; a phone with nothing to do reloads."""
    def step() -> bool:
        for phone in phones:
            if done(phone):
                continue
            if fill_and_send(phone.page):
                continue
            onward = phone.page.locator("main a.button", has_text="Continue")
            if onward.count():  # a finished activity's page: the participant taps Continue
                onward.first.click()
                phone.page.wait_for_load_state()
            else:
                phone.page.wait_for_timeout(300)
                try:
                    phone.page.reload()
                except PlaywrightError:  # the page's own script moved it on meanwhile
                    phone.page.wait_for_load_state()
        return all(done(phone) for phone in phones)
    try:
        wait_for(step, timeout=timeout, interval=0.2, what=what)
    except AssertionError:
        where = [f"{p.name} {place_of(p.name)} {p.page.url}: {p.page.locator('main').inner_text()[:400]!r}"
                 for p in phones]
        raise AssertionError(f"{what}:\n" + "\n".join(where)) from None


def place_of(name: str) -> tuple[str, int | None]:
    from workshop.activities.flow import participant_place

    with unscoped():
        participant = Participant.objects.select_related("workshop").get(pseudonym=name)
        found = participant_place(participant)
    return found.step, found.position


def compose(desk, base: str) -> None:
    desk.goto(f"{base}/f/")
    desk.get_by_role("link", name="New workshop").click()
    desk.get_by_label("Workshop title").fill("Leaving at four, six ways")
    desk.get_by_label("Presenter-paced").check()
    for number, (kind, scenario) in enumerate(PLAN):
        desk.locator("#act-add").click()
        desk.locator(f"#act-{number}-kind").select_option(kind)
        if scenario:
            value = desk.locator(f"#act-{number}-scenario option", has_text=scenario).first.get_attribute("value")
            desk.locator(f"#act-{number}-scenario").select_option(value)
    desk.locator("#create-workshop").click()
    desk.get_by_role("button", name="Open for joining").click()


def show(desk, projector, mode: str) -> str:
    """The facilitator switches what the projector shows; the projector (polling) follows. Its text then."""
    desk.locator(f"[id^=projector-mode-{mode}-]").first.click()
    desk.wait_for_load_state()
    projector.reload()  # what the room sees now (the page would catch up on its next poll)
    projector.locator(f".projector-screen[data-mode={mode}]").wait_for(timeout=20_000)
    return projector.locator(".projector-screen").inner_text()


def move_on(desk) -> None:
    desk.locator("#room-next").first.click()
    desk.wait_for_load_state()


def test_six_activities_five_phones_one_late(browser, live_server, celery_worker, org_a, screenshots, monkeypatch):
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])
    factories.builtin_scenarios()
    base = live_server.url

    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = laptop.new_page()
    desk.goto(f"{base}/accounts/login/")
    desk.get_by_label("Username").fill(org_a.facilitator.username)
    desk.get_by_label("Password").fill(factories.PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    compose(desk, base)
    with unscoped():
        workshop = Workshop.objects.get(title="Leaving at four, six ways")
        assert [a.kind for a in WorkshopActivity.objects.filter(workshop=workshop).order_by("position")] == [
            kind for kind, _ in PLAN]
        assert workshop.pacing == "presenter" and workshop.state == "open"
    join_url = desk.locator("#join-url").inner_text().strip()
    workshop_page = desk.url
    monitor_url = f"{base}/f/workshops/{workshop.public_id}/monitor/"

    projector = laptop.new_page()  # the facilitator's second screen, signed in as they are
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{base}/f/workshops/{workshop.public_id}/projector/")
    # The join screen: the QR code and the short code, printed large.
    assert workshop.short_code in projector.locator("body").inner_text().replace(" ", "")
    projector.screenshot(path=str(screenshots / "six-projector-join.png"))

    # Four people join now (one by the short code); the fifth comes late.
    names = ["Ana", "Ben", "Chloe", "Dev"]
    phones = [Phone(browser, name, screenshots) for name in names]
    for number, phone in enumerate(phones):
        if number == 0:
            phone.page.goto(f"{base}/go")
            phone.page.locator("input[name=code]").fill(workshop.short_code.lower())
            phone.page.locator("main form button[type=submit]").first.click()
            phone.page.locator("input[name=pseudonym]").fill(phone.name)
            phone.page.locator("input[name=consent]").check()
            phone.submit()
        else:
            phone.join(join_url)
        phone.profile(domains="amateur football, choir", memory="The coach picked the cup team without asking me.")

    # 1. Scenario with analogy: before, the analogy written for each, after.
    for phone in phones:
        analogy_activity(phone)
    assert all(place_of(p.name) == ("waiting", 2) for p in phones)
    desk.goto(monitor_url)
    desk.screenshot(path=str(screenshots / "six-monitor-1.png"), full_page=True)
    assert desk.locator("body").inner_text().count("Ana") >= 1

    # The projector shows the room's before/after shift once k answered.
    show(desk, projector, "result")
    projector.locator("#shift-figures").wait_for(timeout=20_000)
    projector.screenshot(path=str(screenshots / "six-projector-result-1.png"))

    # 2..3: perspective-getting, then the empathy map, the room moved by the facilitator each time.
    for position, kind in ((2, "Perspective-getting"), (3, "Empathy map")):
        desk.goto(monitor_url)
        move_on(desk)
        shown = show(desk, projector, "activity")
        assert f"Activity {position} of 6" in shown and kind in shown, shown
        for phone in phones:
            phone.page.wait_for_url(re.compile(rf"/p/a/{position}/"), timeout=30_000)
        run_until(phones, lambda p, n=position: place_of(p.name)[1] != n, what=f"activity {position} done")
        result = show(desk, projector, "result")
        projector.screenshot(path=str(screenshots / f"six-projector-result-{position}.png"))
        if position == 3:  # the room's combined map: the four identical notes merged, with their count
            assert "judge the work, not the hours" in result, result

    # 4. The listening lab: four people make two pairs; the fifth arrives late and a pair becomes a trio.
    desk.goto(monitor_url)
    move_on(desk)
    for phone in phones:
        phone.page.wait_for_url(re.compile(r"/p/a/4/"), timeout=30_000)
    with unscoped():
        lab = WorkshopActivity.objects.get(workshop=workshop, position=4)

    def groups() -> list[int]:
        with unscoped():
            lab.refresh_from_db()
        state = lab.room_state or {}
        found = state.get("groups") or []
        return sorted(len(g.get("members", g)) if isinstance(g, dict) else len(g) for g in found)

    wait_for(lambda: groups() == [2, 2], timeout=60, what="two pairs")
    late = Phone(browser, "Eve", screenshots)
    late.join(join_url)
    late.profile(domains="cycling", memory="My manager gave my project to a newer colleague.")
    analogy_activity(late)
    run_until([late], lambda p: place_of(p.name)[1] == 4, what="the late one catches up")
    phones.append(late)
    run_until(phones, lambda p: place_of(p.name)[1] != 4, what="three rounds of listening", timeout=300)
    assert 3 in groups(), groups()
    shown = show(desk, projector, "result")
    assert "The room's listening, from" in shown and "clearly" in shown, shown
    projector.screenshot(path=str(screenshots / "six-projector-result-4.png"))
    with unscoped():
        listener_records = ActivityRecord.objects.filter(activity=lab).count()
    assert listener_records == 5

    # 5..6: bystander rehearsal and the commitment.
    for position in (5, 6):
        desk.goto(monitor_url)
        move_on(desk)
        run_until(phones, lambda p, n=position: place_of(p.name)[1] != n, what=f"activity {position} done")
        result = show(desk, projector, "result")
        projector.screenshot(path=str(screenshots / f"six-projector-result-{position}.png"))
        if position == 5:  # the room's responses grouped by bystander option
            assert "Direct" in result, result
        else:  # how many committed, never what one person wrote
            assert "have written down one thing to do differently" in result and WORDS["action"] not in result
    assert all(place_of(p.name)[0] == "done" for p in phones)
    desk.goto(monitor_url)
    desk.screenshot(path=str(screenshots / "six-monitor-done.png"), full_page=True)

    # The facilitator closes the workshop; the packets carry the activities.
    desk.goto(workshop_page)
    desk.locator("#close-workshop").click()
    desk.locator("#close-confirm").click()
    ana = phones[0].page
    ana.goto(f"{base}/p/packet/")  # closing made everyone's packet; the page follows the worker
    make = ana.get_by_role("button", name="Make my PDF")
    if make.count():
        make.click()
    link = ana.get_by_role("link", name="Download my PDF")
    wait_for(lambda: link.count() > 0 or ana.reload() and False, timeout=120, interval=2, what="the packet")
    with ana.expect_download() as info:
        link.click()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(open(info.value.path(), "rb").read())).pages)
    assert "judge their work by its results" in re.sub(r"\s+", " ", text)

    # A week later the personal link offers the two-minute check-in.
    real_now = __import__("django.utils.timezone", fromlist=["now"]).now
    later = real_now() + datetime.timedelta(days=8)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    ana.goto(f"{base}/p/")
    assert "check-in" in ana.locator("body").inner_text().lower()
    ana.get_by_role("link", name="Check in now").click()
    run_until([phones[0]], lambda p: place_of(p.name)[0] == "done", what="the check-in")
    with unscoped():
        facts = ActivityRecord.objects.get(participant__pseudonym="Ana", kind="commitment").facts
    assert facts.get("tried") and facts.get("vignette")

    # The organization's report has the activity sections (k-anonymous: five people, k = 3).
    monkeypatch.setattr("django.utils.timezone.now", real_now)
    # Its own browser: the facilitator's pages, still open and refreshing in the laptop's context, would replace
    # the CSRF cookie between the analyst's sign-in form and its post.
    office = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    office.goto(f"{base}/accounts/login/")
    office.get_by_label("Username").fill(org_a.analyst.username)
    office.get_by_label("Password").fill(factories.PASSWORD)
    office.get_by_role("button", name="Sign in").click()
    office.wait_for_url(lambda url: "/accounts/login/" not in url)
    office.goto(f"{base}/f/reports/")
    report = office.locator("main").inner_text()
    office.screenshot(path=str(screenshots / "six-report.png"), full_page=True)
    assert "Listening" in report or "listening" in report, report[:2000]
    for phone in phones:
        phone.context.close()
        assert not phone.violations, "\n".join(phone.violations)
    laptop.close()

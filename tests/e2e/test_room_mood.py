"""The room's mood and the check-in in chromium: the monitor shows the mood of the room's writing only once
k people have written, and the check-in's figures only once k have tapped, in English and in Korean (the
console's language switch, Korean writing); phones get the one-tap card while the poll is open."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests import factories
from tests.e2e.phone import PHONE
from tests.facilitator.rooms import room
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
K = 3
_axe = Axe()


def no_violations(page, label: str) -> None:
    results = _axe.run(page)
    assert not results.violations_count, f"{label}:\n{results.generate_report()}"


def test_the_monitor_shows_the_mood_and_the_check_in_only_at_k_in_both_languages(
        browser, live_server, org_a, settings, screenshots):
    settings.ROOM_MOOD_SECONDS = 0  # the live server runs in this process: read the mood on every look
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])
    workshop = factories.open_workshop(org_a, title="Thursday session", scenarios=1)
    laptop = browser.new_context(viewport={"width": 1366, "height": 900})
    page = laptop.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(org_a.facilitator.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    monitor = live_server.url + reverse("facilitator:monitor", args=[workshop.public_id])

    room(workshop, K - 1, after=True, share=True,
         reflection="I felt sad and lonely reading it, she was left out again.")
    page.goto(monitor)
    mood = page.locator("#room-mood")
    assert mood.locator("#mood-tone").count() == 0
    assert "Shown once 3 people have written" in mood.locator("#mood-note").inner_text()

    room(workshop, 1, prefix="Third", after=True, reflection="It was so sad. I know that lonely feeling.", share=True)
    page.reload()
    assert "approximate" in mood.inner_text()
    assert mood.locator("#mood-tone").inner_text() == "Leaning unpleasant"
    assert "loneliness" in mood.locator("#mood-feelings").inner_text()
    page.screenshot(path=str(screenshots / "mood-01-monitor-en.png"), full_page=True)
    no_violations(page, "monitor with the mood")

    # The check-in: opened from the monitor, tapped on three phones, shown once all three have answered.
    page.locator("#checkin-open").click()
    assert page.locator("#checkin-close").is_visible()
    phones = []
    for i in range(K):
        _, token = factories.joined_participant(workshop, f"Phone {i}", with_profile=False)
        phone = browser.new_context(**PHONE)
        phone.add_cookies([{"name": PARTICIPANT_COOKIE, "value": token, "url": live_server.url}])
        phones.append(phone.new_page())
    for i, phone in enumerate(phones):
        phone.goto(live_server.url + reverse("participants:home"))
        assert phone.get_by_text("How is this landing?").is_visible()
        if i == 0:
            phone.screenshot(path=str(screenshots / "mood-02-phone-card.png"), full_page=True)
            no_violations(phone, "phone with the check-in card")
        phone.locator("#checkin-4").click()
        phone.locator("#checkin-thanks").wait_for()
        page.reload()
        if i < K - 1:
            assert page.locator("#checkin-result").count() == 0
            assert f"So far {i + 1} ha" in page.locator("#checkin-note").inner_text()
    assert "4.0 of 5" in page.locator("#checkin-result").inner_text()

    # In Korean: the console's language switch, and Korean writing from three more people (a batch of k).
    page.locator("button[name=language][value=ko]").click()
    page.goto(monitor)
    room(workshop, K, prefix="한국", after=True, share=True,
         reflection="다들 빠진 걸 보니 너무 외롭고 슬펐어요. 마음이 아팠어요.")
    page.reload()
    korean = page.locator("#mood-feelings").inner_text()
    assert "외로움" in korean or "슬픔" in korean or "상처" in korean
    assert page.locator("#checkin-result").is_visible()
    page.screenshot(path=str(screenshots / "mood-03-monitor-ko.png"), full_page=True)
    no_violations(page, "Korean monitor with the mood")

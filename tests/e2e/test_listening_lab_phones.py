"""Three people run the active-listening lab on 360 px phones: the third arrival forms the trio, each phone shows
its role, the speaker's prompt, the listener's form and feedback, the observer's rating; the group moves on
to round 2 by itself, and the observer's rating reaches the listener alone. Every page passes axe-core."""

import pytest

from tests.activities.lab import lab_workshop
from tests.e2e.phone import Phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOMENT = "You waited before asking, and Ben kept going"


def _role(phone: Phone) -> str:
    phone.page.get_by_text("Round 1 of 3").wait_for(timeout=20_000)
    heading = phone.page.locator("#round-title").inner_text()
    return heading.split(":")[-1].strip().lower()


def test_three_phones_run_a_round_of_the_listening_lab(browser, live_server, org_a, screenshots):
    workshop = lab_workshop(org_a, title="Listening lab")
    join_url = f"{live_server.url}/j/{workshop.join_token}/"
    phones = [Phone(browser, name, screenshots) for name in ("Ada", "Ben", "Chidi")]
    for phone in phones:
        phone.join(join_url)
        phone.page.locator("a[href$='/p/a/1/']").click()  # the overview lists the lab
        phone.page.wait_for_url("**/p/a/1/")
        if phone is phones[1]:
            assert phone.page.get_by_text("2 people are here.").is_visible()
            phone.check("lab-gathering")
    # The first phone reloads by itself when the third arrives: wait for it (on a busy machine the reload can
    # land in the middle of the accessibility check), then check it.
    phones[0].page.get_by_text("Round 1 of 3").wait_for(timeout=20_000)
    phones[0].page.wait_for_load_state("load")
    phones[0].check("lab-round-1")
    roles = {_role(phone): phone for phone in phones}
    assert set(roles) == {"speaker", "listener", "observer"}
    speaker, listener, observer = roles["speaker"], roles["listener"], roles["observer"]
    assert speaker.page.get_by_text("Your prompt").is_visible()
    speaker.check("lab-speaker")
    assert listener.page.locator("textarea[name=paraphrase]").is_visible()
    listener.check("lab-listener")
    observer.check("lab-observer")

    speaker.page.get_by_role("button", name="I have finished speaking").click()
    speaker.page.get_by_text("Waiting for the others in your group").wait_for()
    listener.page.locator("textarea[name=paraphrase]").fill("So when the plan was made without you, you felt shut out")
    listener.page.locator("input[name=feeling]").fill("left out")
    listener.page.locator("input[name=question]").fill("What was the hardest part for you?")
    listener.submit()
    listener.page.get_by_text("Your feedback").first.wait_for()
    assert "clearly" in listener.page.locator("section.feedback").inner_text()
    listener.check("lab-listener-feedback")

    for index in range(3):
        observer.pick(index, 2)
    observer.page.locator("textarea[name=moment]").fill(MOMENT)
    observer.submit()

    for phone in phones:  # the group moves on by itself, and every phone follows
        phone.page.get_by_text("Round 2 of 3").wait_for(timeout=20_000)
    listener.page.get_by_text(MOMENT).wait_for(timeout=10_000)
    listener.check("lab-round-2-listener")
    for other in (speaker, observer):
        assert MOMENT not in other.page.content()
        other.check("lab-round-2")

    problems = [v for phone in phones for v in phone.violations]
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)
    for phone in phones:
        phone.context.close()

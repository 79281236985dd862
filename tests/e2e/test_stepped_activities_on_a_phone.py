"""The empathy map, perspective-getting and bystander rehearsal on a 360 px phone, in English and in Korean:
every step filled in on the page as a person would, each page checked by axe-core, photographed, and never
scrolling sideways; Korean words never cut in two."""

import pytest

from tests import factories
from tests.activities.stepped import library
from tests.e2e.phone import Phone
from tests.e2e.test_korean_phone_pages import WORDS_CUT_IN_TWO
from workshop.activities.kinds import ActivityKind
from workshop.participants.models import Response
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped
from workshop.workshops.activities import ActivityPlan
from workshop.workshops.services import workshop_create, workshop_open

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LUNCH, LEAVES = "lunch-plans-in-the-side-channel", "leaves-at-four"
WORDS = {
    "en": {"note": "Everyone left for lunch without her", "feeling": "Wonders if she did something wrong",
           "question": "Would you like us to ask you next time?", "response": "I'd ask Daniel how he feels about it."},
    "ko": {"note": "다들 하은 씨만 빼고 점심을 먹으러 갔다", "feeling": "내가 뭘 잘못했나 생각한다",
           "question": "다음에는 먼저 같이 가자고 물어봐도 될까요?",
           "response": "나중에 준영 책임님께 괜찮은지 물어보겠다."},
}


def workshop_with_the_three(team, language):
    with unscoped():
        lunch, leaves = library(LUNCH), library(LEAVES)
        workshop = workshop_create(
            organization_id=team.org.id, owner=team.facilitator, title="Practice", scenarios=[], capacity=30,
            language=language, activities=[ActivityPlan(ActivityKind.EMPATHY_MAP, lunch),
                                           ActivityPlan(ActivityKind.ANALOGY, lunch),
                                           ActivityPlan(ActivityKind.PERSPECTIVE, lunch),
                                           ActivityPlan(ActivityKind.BYSTANDER, leaves)])
        workshop = workshop_open(workshop=workshop, actor=team.facilitator)
        participant, token = factories.joined_participant(workshop, "Robin")
        # The scenario with its analogy (tested on its own elsewhere) is already answered.
        Response.objects.create(organization=workshop.organization, participant=participant, scenario=lunch,
                                pre_labels=["anger"], pre_understanding=3, post_labels=["hurt"], post_understanding=5)
    return workshop, token


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_three_activities_on_a_360_px_phone(browser, live_server, org_a, screenshots, language):
    _workshop, token = workshop_with_the_three(org_a, language)
    words = WORDS[language]
    phone = Phone(browser, f"stepped-{language}", screenshots, language=language)
    phone.context.add_cookies([{"name": PARTICIPANT_COOKIE, "value": token, "url": live_server.url}])
    page = phone.page
    cut = {}

    def look(label: str) -> None:
        phone.check(label)
        if language == "ko":
            cut[label] = page.evaluate(WORDS_CUT_IN_TWO)

    page.goto(f"{live_server.url}/p/?lang={language}")
    page.goto(f"{live_server.url}/p/a/1/")
    look("map-goal")
    page.locator("input[name=goal_1]").fill(words["note"])
    page.locator("input[name=goal_1_source][value=scenario]").check()
    phone.submit()
    look("map-observe")
    page.locator("input[name=see_1]").fill(words["note"])
    page.locator("input[name=see_1_source][value=scenario]").check()
    phone.submit()
    look("map-inside")
    page.locator("input[name=think_feel_1]").fill(words["feeling"])
    page.locator("input[name=think_feel_1_source]").nth(1).check()  # my assumption
    page.locator("input[name=pains_1]").fill(words["feeling"])
    phone.submit()  # a note without where it comes from: asked for, nothing lost
    assert page.locator(".field-error").count() == 1
    assert page.locator("input[name=think_feel_1]").input_value() == words["feeling"]
    look("map-inside-error")
    page.locator("input[name=pains_1_source]").nth(1).check()
    phone.submit()
    look("map-ask")
    page.locator("input[name=question_1]").fill(words["question"])
    phone.submit()
    page.wait_for_url("**/p/a/3/")
    look("perspective-ask")
    page.locator("input[name=question_1]").fill(words["question"])
    phone.submit()
    look("perspective-hear")
    assert page.locator("blockquote.analogy").count() == 1
    phone.submit()
    look("perspective-again")
    phone.pick(0, 0)
    phone.pick(1, 2)
    phone.pick(2, 4)
    phone.submit()
    page.wait_for_url("**/p/a/4/")
    look("bystander-seat")
    phone.submit()
    look("bystander-respond")
    page.locator("input[name=option][value=delay]").check()
    page.locator("textarea[name=response]").fill(words["response"])
    phone.submit()
    look("bystander-rehearse")
    page.locator("button[name=rehearsed][value=did]").click()
    page.wait_for_url("**/p/done/")
    look("summary")
    summary = page.locator("main").inner_text()
    assert words["feeling"] in summary and words["question"] in summary and words["response"] in summary
    phone.context.close()
    assert {name: found for name, found in cut.items() if found} == {}
    assert not phone.violations, "axe-core found accessibility problems:\n" + "\n".join(phone.violations)

"""A Korean phone at 360 px: the first visit follows the browser's language (no ?lang=), Korean words never
break inside a word, nothing scrolls sideways, and every page passes axe-core."""

import pytest

from tests.e2e.phone import Phone
from workshop.engine import ProfileSpec
from workshop.participants.models import Analogy, Participant
from workshop.participants.services import participant_profile_save
from workshop.scenarios.models import Scenario
from workshop.tenancy.scope import unscoped
from workshop.workshops.services import workshop_create, workshop_open

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every pair of Hangul letters that belong to one word (no space between them) must sit on one line.
WORDS_CUT_IN_TWO = """() => {
  const hangul = /[\\uac00-\\ud7a3]/, cut = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent;
    const box = node.parentElement.getBoundingClientRect();
    if (!hangul.test(text) || box.width === 0) continue;
    for (let i = 0; i + 1 < text.length; i++) {
      if (!hangul.test(text[i]) || !hangul.test(text[i + 1])) continue;
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const here = range.getBoundingClientRect();
      range.setStart(node, i + 1); range.setEnd(node, i + 2);
      const next = range.getBoundingClientRect();
      if (next.top > here.top + here.height / 2) {
        const start = text.lastIndexOf(" ", i) + 1, end = text.indexOf(" ", i);
        cut.push(text.slice(start, end < 0 ? undefined : end));
      }
    }
  }
  return cut;
}"""


def korean_workshop(team):
    with unscoped():
        scenario = Scenario.objects.create(
            organization=team.org, slug="yuksa-return", language="ko", title="육아휴직 복귀 첫 주의 주간 회의",
            narrative="육아휴직을 마치고 돌아온 지현 씨는 첫 주간 회의에서 자신이 맡던 거래처가 "
                      "이미 후배에게 넘어간 것을 알게 되었다. 팀장은 배려였다고 말했지만, 지현 씨는 "
                      "회의 내내 노트북 화면만 바라보았다. 단톡방에는 축하 이모티콘이 가득했고, "
                      "아무도 지현 씨에게 먼저 묻지 않았다.",
            perspective_name="지현", perspective_role="영업지원팀 대리", emotions=[
                {"label": "disappointment", "intensity": 0.7}, {"label": "hurt", "intensity": 0.6},
                {"label": "insecurity", "intensity": 0.5}],
            themes=["loss_of_role", "parenthood"], discussion_prompts=["복귀한 동료에게 무엇을 먼저 물어야 할까요?"],
            content_hash="yuksa-return-1")
        workshop = workshop_create(organization_id=team.org.id, owner=team.facilitator, title="관리자 공감 워크숍",
                                   scenarios=[scenario], capacity=30, language="en")
        return workshop_open(workshop=workshop, actor=team.facilitator)


def test_a_korean_phone_reads_korean_pages_whole_words_at_360_px(browser, live_server, org_a, screenshots):
    workshop = korean_workshop(org_a)  # an English workshop: the phone's own language decides
    phone = Phone(browser, "korean-360", screenshots, language="ko")
    page = phone.page
    page.goto(f"{live_server.url}/j/{workshop.join_token}/")  # no ?lang=: Accept-Language is ko-KR
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("nav.lang a[hreflang=en]").count() == 1  # the switch, one tap away
    phone.check("join")
    cut = {"join": page.evaluate(WORDS_CUT_IN_TWO)}
    page.locator("input[name=pseudonym]").fill("민지")
    page.locator("input[name=consent]").check()
    phone.submit()
    page.wait_for_url("**/p/**")
    with unscoped():
        me = Participant.objects.get(workshop=workshop, pseudonym="민지")
        assert me.language == "ko"
        participant_profile_save(participant=me, profile=ProfileSpec.model_validate(
            {"name": "민지", "domains": ["교회 성가대", "주말마다 딸과 한강에서 자전거 타기"], "language": "ko"}))
        Analogy.objects.filter(participant=me).update(
            state="done", title="성가대 솔로 자리",
            text="십 년 넘게 맡아 온 성가대 솔로를 연습 한 번 빠진 사이에 새로 온 단원이 "
                 "맡게 되었다는 공지를 단톡방에서 처음 보았던 저녁을 떠올려 보세요.",
            mapping=[{"scenario": "넘어간 거래처", "analogy": "넘어간 솔로 자리"}] * 3)
    for name, path in (("home", "/p/"), ("scenario", "/p/s/1/")):
        page.goto(live_server.url + path)
        phone.check(name)
        cut[name] = page.evaluate(WORDS_CUT_IN_TWO)
    phone.before()  # answered on the page, as a person would
    phone.analogy_text()
    cut["analogy"] = page.evaluate(WORDS_CUT_IN_TWO)
    page.locator("a.button").first.click()  # Continue
    phone.check("after")
    cut["after"] = page.evaluate(WORDS_CUT_IN_TWO)
    phone.context.close()
    assert {name: words for name, words in cut.items() if words} == {}
    assert not phone.violations, "axe-core found accessibility problems:\n" + "\n".join(phone.violations)

"""A Korean workshop shows no English to a Korean facilitator, admin or participant, apart from what people
typed: every console and phone page is rendered in Korean and its visible text (with aria-labels, titles and
placeholders) is searched for English words; dates read "2026년 12월 1일"."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.facilitator.rooms import room
from workshop.engine import ProfileSpec
from workshop.participants.models import Analogy, Participant
from workshop.participants.services import participant_profile_save
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import AuditEvent, Invitation
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_close, workshop_create, workshop_open
from workshop.workshops.short_code import short_code_shown

# Words that are the same in a Korean interface: product and standard names, file formats, the language switch.
ALLOWED = {
    "API", "LLM", "PDF", "CSV", "JSON", "YAML", "URL", "OpenAI", "English", "Mini-IPIP", "IPIP", "Mini", "TIPI",
    "EmoSync", "POSTECH", "QR", "HR", "REST", "ACM", "CHI", "Hedges", "Azure", "vLLM", "Ollama", "llama.cpp",
    "HTTPS", "Bearer",
}
KOREAN_DATE = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일")
ANALOGY = "성가대 단톡방에서 나만 모르는 연습 일정을 봤던 날을 떠올려 보세요."
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class VisibleText(HTMLParser):
    """What a person reads or hears on the page: text outside scripts and styles, and the words of
    aria-label, title, placeholder and alt."""

    SKIP = {"script", "style"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt", "data-reconnecting", "data-live-label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str, typed: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for words in sorted(typed, key=len, reverse=True):  # what people typed stays as typed
        text = text.replace(words, " ")
    found = []
    for chunk in text.split():
        if re.search(r"[A-Za-z0-9][._/:@][A-Za-z0-9]", chunk):  # a code, an address, a file name: not prose
            continue
        found += [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]", chunk)
                  if len(w) > 1 and w not in ALLOWED]
    return sorted(set(found))


@pytest.fixture
def korean_world(org_a):
    """A Korean organization's day: a Korean workshop under way with a Korean scenario, a closed one with
    packets, members, an invitation and audit entries."""
    with unscoped():
        org_a.org.name = "한빛물류"
        org_a.org.default_language = "ko"
        org_a.org.anonymity_k = 3
        org_a.org.save()
        scenario = Scenario.objects.create(
            organization=org_a.org, slug="hoesik-chair", language="ko", title="회식 자리의 빈 의자",
            narrative="팀 회식 공지가 단톡방에 올라왔지만 수아 씨만 초대받지 못했다. 다음 날 아침 사람들은 회식 "
                      "사진을 보며 웃었고, 수아 씨는 모니터만 바라보았다.",
            perspective_name="수아", perspective_role="물류센터 야간 조장", perspective_pronouns="그녀",
            emotions=[{"label": "loneliness", "intensity": 0.8}, {"label": "hurt", "intensity": 0.6},
                      {"label": "disappointment", "intensity": 0.5}],
            themes=["exclusion", "회식"], discussion_prompts=["우리 팀의 공지는 누구에게 닿지 않을까요?"],
            content_hash="hoesik-chair-1")
        library = factories.builtin_scenarios()
        live = workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title="신입 환영 워크숍",
                               scenarios=[scenario], capacity=30, language="ko", generic_share=0.0)
        workshop_open(workshop=live, actor=org_a.facilitator)
        past = workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title="지난달 워크숍",
                               scenarios=[scenario, library[0]], capacity=30, language="ko")
        workshop_open(workshop=past, actor=org_a.facilitator)
    room(live, 4, prefix="참가자", before=True, after=True, reflection="회의에서 말이 끊긴 적이 있어요.",
         share=True)
    room(live, 1, prefix="대기자", analogy="failed")
    room(past, 4, prefix="지난", before=True, after=True, reflection="나도 빠진 적이 있어요.", share=True)
    with unscoped():
        workshop_close(workshop=past, actor=org_a.facilitator)
        Invitation.objects.create(organization=org_a.org, email="new@acme.example", role="analyst",
                                  invited_by=org_a.admin, expires=timezone.now() + timedelta(days=7))
        for action, detail in [
            ("member.invite_revoke", {"email": "old@acme.example", "role": "facilitator", "reason": "sender_removed"}),
            ("member.role_change", {"user": org_a.analyst.username, "from": "analyst", "to": "facilitator"}),
            ("settings.change", {"fields": ["anonymity_k", "paper_size"], "api_key": "replaced"}),
            ("reflection.hide", {}), ("wall.reveal", {}), ("scenario.import", {"count": 2}),
        ]:
            AuditEvent.objects.create(organization=org_a.org, actor=org_a.admin, action=action,
                                      object_type="Workshop", object_id=str(live.pk), detail=detail)
        typed = [org_a.org.name, live.title, past.title, scenario.title, scenario.narrative,
                 scenario.perspective_name, scenario.perspective_role, "회식",
                 *[p.pseudonym for p in Participant.objects.filter(organization=org_a.org)],
                 *[u.username for u in (org_a.admin, org_a.facilitator, org_a.analyst)],
                 *[u.email for u in (org_a.admin, org_a.facilitator, org_a.analyst)],
                 "new@acme.example", "old@acme.example", "Acme", "acme",
                 *[short_code_shown(w.short_code) for w in (live, past)]]  # generated, like the join link
        # The built-in library is English until its Korean versions land: its texts are content, not interface.
        for s in Scenario.objects.filter(organization__isnull=True):
            text = s.localized("ko")
            typed += [text.title, text.perspective_name, text.perspective_role, text.narrative]
    return {"live": live, "past": past, "scenario": scenario, "typed": typed, "library": library}


def korean_staff(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")  # the browser says English: the choice made wins
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    client.force_login(user)
    return client


class KoreanPages:
    """Reads pages and notes, per page, any English word or English date it shows."""

    def __init__(self, typed: list[str]):
        self.typed = typed
        self.problems: dict[str, list[str]] = {}

    def read(self, response, name: str) -> str:
        html = response.content.decode()
        found = english_words(html, self.typed)
        if response.status_code != 200:
            found.append(f"status {response.status_code}")
        if not (re.search(r'<html lang="ko"', html) or name.endswith("live")):
            found.append("not lang=ko")
        found += [m for m in MONTHS if re.search(rf"\b{m}\b", html)]
        if found:
            self.problems[name] = found
        return html


def test_every_console_page_of_a_korean_workshop_is_korean(korean_world, org_a):
    live, past, typed = korean_world["live"], korean_world["past"], korean_world["typed"]
    admin = korean_staff(org_a.admin)
    pages = {
        "home": reverse("facilitator:home"),
        "workshop": reverse("facilitator:workshop", args=[live.public_id]),
        "closed-workshop": reverse("facilitator:workshop", args=[past.public_id]),
        "monitor": reverse("facilitator:monitor", args=[live.public_id]),
        "monitor-live": reverse("facilitator:monitor_live", args=[live.public_id]),
        "projector": reverse("facilitator:projector", args=[live.public_id]),
        "library": reverse("facilitator:scenarios"),
        "library-by-theme": reverse("facilitator:scenarios") + "?theme=exclusion",
        "reports": reverse("facilitator:reports"),
        "audit": reverse("facilitator:audit"),
        "members": reverse("facilitator:members"),
        "settings": reverse("facilitator:organization"),
        "new-workshop": reverse("facilitator:workshop_new"),
        "api-tokens": reverse("facilitator:api_tokens"),
    }
    reader = KoreanPages(typed)
    html = {name: reader.read(admin.get(url), name) for name, url in pages.items()}

    assert reader.problems == {}, "; ".join(f"{k}: {' | '.join(v)}" for k, v in reader.problems.items())

    assert "열림" in html["workshop"] and "닫힘" in html["closed-workshop"]  # the state badges
    assert "대기 중" in html["closed-workshop"] or "준비됨" in html["closed-workshop"]  # the packets' states
    assert "소외됨" in html["library"] and "외로움" in html["library"]  # a theme and a feeling by their names
    assert "초대를 보낸 관리자가 삭제됨" in html["audit"] and "초대 취소" in html["audit"]
    assert "분석가" in html["audit"] and "게시판에서 소감 숨김" in html["audit"]
    assert KOREAN_DATE.search(html["home"]) and KOREAN_DATE.search(html["members"])


def test_a_korean_facilitator_whose_browser_asks_for_korean_sees_korean(korean_world, org_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")
    client.force_login(org_a.facilitator)
    live = korean_world["live"]
    reader = KoreanPages(korean_world["typed"])
    for name in ("facilitator:home", "facilitator:scenarios"):
        reader.read(client.get(reverse(name)), name)
    reader.read(client.get(reverse("facilitator:monitor", args=[live.public_id])), "monitor")
    assert reader.problems == {}, "; ".join(f"{k}: {' | '.join(v)}" for k, v in reader.problems.items())


def test_every_phone_page_of_a_korean_workshop_is_korean(korean_world):
    live, typed = korean_world["live"], korean_world["typed"]
    phone = Client(HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")
    join = reverse("participants:join", args=[live.join_token])
    reader = KoreanPages([*typed, "민지", "성가대 단톡방", ANALOGY, "회식 공지", "연습 공지", "교회 성가대"])
    pages = {"join": reader.read(phone.get(join), "join")}
    phone.post(join, {"pseudonym": "민지", "consent": "on"})
    for name in ("home", "profile", "profile_values", "profile_life", "profile_memories"):
        pages[name] = reader.read(phone.get(reverse(f"participants:{name}"), follow=True), name)
    pages["personality"] = reader.read(phone.get(reverse("participants:profile_personality", args=[1])),
                                       "personality")
    with unscoped():
        me = Participant.objects.get(workshop=live, pseudonym="민지")
    with unscoped():
        participant_profile_save(participant=me, profile=ProfileSpec.model_validate({
            "name": "민지", "domains": ["교회 성가대"], "language": "ko"}))
        Analogy.objects.filter(participant=me).update(
            state="done", title="성가대 단톡방", text=ANALOGY,
            mapping=[{"scenario": "회식 공지", "analogy": "연습 공지"}] * 3)
    pages["scenario"] = reader.read(phone.get(reverse("participants:scenario", args=[1])), "scenario")
    factories.answer_before(phone, 1, labels=["loneliness"])
    pages["after"] = reader.read(phone.get(reverse("participants:after", args=[1])), "after")
    for name in ("done", "packet", "delete"):
        pages[name] = reader.read(phone.get(reverse(f"participants:{name}"), follow=True), name)
    assert reader.problems == {}, "; ".join(f"{k}: {' | '.join(v)}" for k, v in reader.problems.items())
    assert "English" in pages["scenario"]  # the switch back is one tap away
    with unscoped():
        assert Workshop.objects.get(pk=live.pk).language == "ko"

"""A Korean participant on a phone, from the join link to their own PDF, with a real worker: they write Korean life
domains and a Korean memory that fits the scenario, and get a Korean analogy built on that memory and a Korean
packet."""

import io
import re

import pytest
from pypdf import PdfReader

from tests import factories
from tests.e2e.phone import Phone
from workshop.engine.vocabulary import emotion_named
from workshop.participants.models import Analogy, Participant
from workshop.scenarios.models import Scenario
from workshop.tenancy.scope import unscoped
from workshop.workshops.services import workshop_create, workshop_open

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DOMAINS = "교회 성가대, 주말마다 딸과 한강에서 자전거 타기"
MEMORY = "작년 겨울에 성가대 사람들이 나만 빼고 회식을 갔다. 다음 날 단톡방에 올라온 사진을 보고서야 알았다."


def hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters)


def test_a_korean_participant_gets_a_korean_analogy_from_their_own_memory_and_a_korean_packet(
        browser, live_server, celery_worker, org_a, screenshots):
    factories.builtin_scenarios()
    with unscoped():
        dinner = Scenario.objects.get(organization__isnull=True, slug="left-out-of-the-team-dinner", is_current=True)
        workshop = workshop_open(workshop=workshop_create(
            organization_id=org_a.org.id, owner=org_a.facilitator, title="신입 환영 공감 워크숍", scenarios=[dinner],
            capacity=30, language="ko"), actor=org_a.facilitator)
    phone = Phone(browser, "korean-journey", screenshots, language="ko")
    page = phone.page
    page.goto(f"{live_server.url}/j/{workshop.join_token}/")  # the browser asks for Korean
    phone.check("join")
    page.locator("input[name=pseudonym]").fill("은지")
    page.locator("input[name=consent]").check()
    phone.submit()
    phone.profile(domains=DOMAINS, memory=MEMORY)
    assert "서윤" in page.locator("main").inner_text()  # the scenario in Korean
    phone.before()
    text = phone.analogy_text()

    assert hangul_share(text) >= 0.9, text
    assert "단톡방" in text and "사진" in text, text  # built on her own memory, retold
    with unscoped():
        me = Participant.objects.get(workshop=workshop, pseudonym="은지")
        analogy = Analogy.objects.get(participant=me, is_current=True)
    assert me.language == "ko"
    assert analogy.source.get("kind") == "own_experience", analogy.source
    assert analogy.engine == "builtin" and analogy.state == "done"
    assert not [label for label in analogy.emotions if emotion_named(analogy.text, label)]

    phone.after(reflection="서윤 씨가 왜 메일을 세 번 확인했는지 알 것 같아요.", share=False)
    assert "/p/done/" in page.url
    phone.check("summary")
    page.locator("a.button[href$='/p/packet/']").click()
    page.locator("form.card button[type=submit]").click()
    download = page.locator("a.button[href*='/p/packet/'][href$='/download']")
    download.wait_for(timeout=90_000)
    phone.check("packet")
    with page.expect_download() as info:
        download.click()
    pdf = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))
    body = " ".join(p.extract_text() or "" for p in pdf.pages)
    body = re.sub(r"[\u2060\u200b]", "", body)
    assert "중요한 얘기는 2차에서 나와" in body  # the scenario's Korean title
    assert "은지" in body and "단톡방" in body
    assert hangul_share(body) >= 0.8
    assert pdf.trailer["/Root"].get("/Lang") == "ko"
    assert not phone.violations, "axe-core found accessibility problems:\n" + "\n".join(phone.violations)
    phone.context.close()

"""Packets speak their reader's language: a participant's packet in the participant's, the facilitator packet in
the workshop's; title, language tag, dates, tables, charts and the method note included."""

import io
import re
from pathlib import Path

from django.conf import settings
from pypdf import PdfReader

from tests.debrief.conftest import build_room, pdffonts
from workshop.debrief.models import DebriefPacket
from workshop.debrief.render import WORD_JOINER
from workshop.debrief.services import packet_render
from workshop.participants.models import Analogy, Participant
from workshop.scenarios.models import Scenario
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.models import Workshop

# Words of the packets' own English text: none may be left in a Korean packet.
ENGLISH_PACKET_WORDS = [
    "Your debrief packet", "Prepared for", "How the two situations line up", "In your life", "Feeling in the",
    "Before the analogy", "After the analogy", "Your reflection", "In a week", "About the method", "Made",
    "Scenarios", "Workshop", "private to you", "EmoSync (POSTECH, ACM CHI 2025), where", "named", "Page",
    "Facilitator debrief", "Summary", "Discussion guide", "Shared reflections", "Resonance", "not at all",
    "very much", "Identification accuracy", "Perceived understanding", "Joined", "Date", "People",
    "December", "January", "Monday", "Tuesday",
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _pdf(packet: DebriefPacket) -> tuple[str, PdfReader, bytes]:
    with organization_scope(packet.organization_id):
        pdf = packet_render(packet=packet)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # The word joiners that keep Korean words whole are not in the text: copying and searching it work as written.
    assert WORD_JOINER not in text
    return text, reader, pdf


def _keep(name: str, pdf: bytes) -> Path:
    path = Path(settings.VAR_DIR) / "test" / "packets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path


def _english_words(text: str) -> list[str]:
    return [w for w in ENGLISH_PACKET_WORDS if re.search(rf"\b{re.escape(w)}\b", text)]


def test_a_korean_participants_packet_is_korean_in_an_english_workshop(org_a):
    workshop, scenarios, members = build_room(org_a, people=1)
    participant = members[0][0]
    with unscoped():
        Participant.objects.filter(pk=participant.pk).update(language="ko")
        Scenario.objects.filter(pk=scenarios[0].pk).update(translations={"ko": {
            "title": "회식 자리의 빈 의자",
            "narrative": "팀 회식 공지가 단톡방에 올라왔지만 수아 씨만 초대받지 못했다.",
            "perspective_name": "수아", "perspective_role": "물류센터 야간 조장"}})
        Analogy.objects.filter(participant=participant).update(
            title="합창단 오디션", text="합창단 단톡방에서 나만 빠진 공지를 봤던 날을 떠올려 보세요.",
            mapping=[{"scenario": "회의 공지", "analogy": "합창단 공지"}] * 3)
        participant.refresh_from_db()
        packet = DebriefPacket(organization_id=workshop.organization_id, workshop=workshop, participant=participant,
                               kind=DebriefPacket.Kind.PARTICIPANT)

    text, reader, pdf = _pdf(packet)
    _keep("participant-ko.pdf", pdf)

    assert reader.trailer["/Root"]["/Lang"] == "ko"
    assert reader.metadata.title.startswith("디브리핑:")
    # The scenario in the participant's language, where it has one.
    assert "회식 자리의 빈 의자" in text and "수아 님이 느낀 감정" in text and "시나리오 속 (수아)" in text
    for korean in ("나의 디브리핑 자료", "님을 위한 자료", "나의 비유: 합창단 오디션", "두 상황은 이렇게 이어져요",
                   "시나리오 속 감정", "나의 소감", "일주일 뒤에", "이 방법에 대하여", "페이지"):
        assert korean in text, korean
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", text)
    # The feelings table names the scenario's feelings in Korean, from the one emotion table.
    assert "실망" in text or "상처" in text or "분노" in text or "외로움" in text
    assert _english_words(text) == []
    assert "Noto-Sans-CJK-KR" in pdffonts(_keep("participant-ko-fonts.pdf", pdf))


def test_the_facilitator_packet_follows_the_workshops_language(org_a):
    workshop, scenarios, members = build_room(org_a, people=6, generic_share=0.5)
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(language="ko")
        workshop.refresh_from_db()
        packet = DebriefPacket(organization_id=workshop.organization_id, workshop=workshop,
                               kind=DebriefPacket.Kind.FACILITATOR)

    text, reader, pdf = _pdf(packet)
    _keep("facilitator-ko.pdf", pdf)

    assert reader.trailer["/Root"]["/Lang"] == "ko"
    assert reader.metadata.title.startswith("진행자 디브리핑:")
    for korean in ("진행자 디브리핑 자료", "요약", "비유 전후", "토론 안내", "공유된 소감", "공감도",
                   "비유를 읽기 전", "비유 후"):
        assert korean in text, korean
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", text)
    assert _english_words(text) == []


def test_an_english_participant_in_a_korean_workshop_gets_an_english_packet(org_a):
    workshop, scenarios, members = build_room(org_a, people=1)
    participant = members[0][0]
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(language="ko")
        Participant.objects.filter(pk=participant.pk).update(language="en")
        participant.refresh_from_db()
        packet = DebriefPacket(organization_id=workshop.organization_id, workshop=workshop, participant=participant,
                               kind=DebriefPacket.Kind.PARTICIPANT)

    text, reader, _pdf_bytes = _pdf(packet)

    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Your debrief packet" in text and "About the method" in text
    assert not HANGUL.search(text.replace(workshop.title, ""))


def test_korean_words_are_joined_in_the_text_only_never_in_the_title_or_the_markup():
    from workshop.debrief.render import keep_korean_words

    html = ('<html lang="ko"><head><title>진행자 자료</title></head>'
            '<body class="참가자"><p title="속성 값">진행자 자료, ok</p></body></html>')
    joined = keep_korean_words(html)
    assert "<title>진행자 자료</title>" in joined and 'class="참가자"' in joined and 'title="속성 값"' in joined
    assert f">진{WORD_JOINER}행{WORD_JOINER}자 자{WORD_JOINER}료, ok<" in joined

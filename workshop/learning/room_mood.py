"""The room's mood on the monitor: the tone of what the room has written (reflections, and the text of every
activity record its writer let count in the room's result), read by workshop/learning/mood.py.

It is the room's and no one's:
- It is read from words only, never from a camera, a voice or how someone types.
- Nothing is kept per person: the release holds sums over people and the ids and versions of the rows it read.
- It appears once at least k people have written, and it changes only in batches that cover at least k people
  who wrote something new (or changed what they wrote) since the last batch, like the room's other figures
  (workshop/workshops/room.py): read the mood, watch one person finish, read it again, and nothing moved.
- It is smoothed over time: each batch is added to what came before, which fades with a half-life of
  HALF_LIFE_MINUTES, so the mood follows the room without jumping with each batch.

The release lives in the workshop's RoomRelease (figures["mood"]), written under its row lock."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from workshop.learning.checkin import CheckinResult, checkin_result
from workshop.learning.mood import MOOD_FEELINGS, TextMood, text_mood
from workshop.participants.instruments import emotion_name
from workshop.participants.models import ActivityRecord, Response
from workshop.workshops.models import RoomRelease, Workshop

MOOD = "mood"  # its key in RoomRelease.figures
HALF_LIFE_MINUTES = 10.0
TOP_FEELINGS = 3
MIN_FEELING_SHARE = 0.15
TONE_THRESHOLD = 0.15


class Tone(models.TextChoices):
    PLEASANT = "pleasant", gettext_lazy("Leaning pleasant")
    MIXED = "mixed", gettext_lazy("Mixed or neutral")
    UNPLEASANT = "unpleasant", gettext_lazy("Leaning unpleasant")


@dataclass(frozen=True)
class Feeling:
    label: str
    share: float  # of the feelings named in the room's writing, smoothed

    @property
    def name(self) -> str:
        """In the language of the page being drawn."""
        return emotion_name(self.label, (get_language() or "en")[:2])


@dataclass(frozen=True)
class RoomMood:
    """What the monitor may show: the released mood (None until k people have written) and how many people have
    written so far (a count, not what they wrote)."""

    writers: int
    valence: float | None = None  # -1 unpleasant .. +1 pleasant
    feelings: tuple[Feeling, ...] = ()
    people: int = 0  # how many people's writing the released mood holds
    released: datetime | None = None

    @property
    def shown(self) -> bool:
        return self.valence is not None

    @property
    def tone(self) -> Tone | None:
        if self.valence is None:
            return None
        if self.valence >= TONE_THRESHOLD:
            return Tone.PLEASANT
        if self.valence <= -TONE_THRESHOLD:
            return Tone.UNPLEASANT
        return Tone.MIXED

    @property
    def tone_label(self) -> str:
        return str(self.tone.label) if self.tone else ""

    @property
    def valence_percent(self) -> int:
        """Where the valence stands on a 0..100 scale from unpleasant to pleasant (for a bar)."""
        return round(50 * ((self.valence or 0.0) + 1))


@dataclass(frozen=True)
class _Writing:
    key: str  # "r<response id>" or "a<activity record id>"
    participant_id: int
    version: str  # the row's update time: a changed text is new writing
    text: str


def _strings(value) -> list[str]:
    """Every string in an activity record's content, wherever its activity keeps it."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _record_text(content: str) -> str:
    try:
        data = json.loads(content)
    except ValueError:
        return content
    return "\n".join(s.strip() for s in _strings(data) if s.strip())


def room_writing(*, workshop: Workshop) -> list[_Writing]:
    """The room's writing now: reflections their writers shared, and activity records whose writer let them
    count in the room's result, of people who have not deleted their data. A reflection kept private ("only I
    see it") is never read, not even into a total. Two queries however many people wrote."""
    writing = [
        _Writing(f"r{r.id}", r.participant_id, r.updated.isoformat(), r.reflection)
        for r in Response.objects.filter(participant__workshop=workshop, participant__deleted_at__isnull=True,
                                         share_reflection=True)
        .exclude(reflection="").only("id", "participant_id", "reflection", "updated")
        if r.reflection.strip()]
    for record in (ActivityRecord.objects.filter(participant__workshop=workshop, shared=True,
                                                 participant__deleted_at__isnull=True)
                   .exclude(content="").only("id", "participant_id", "content", "updated")):
        text = _record_text(record.content)
        if text:
            writing.append(_Writing(f"a{record.id}", record.participant_id, record.updated.isoformat(), text))
    return writing


def _new_writers(state: dict, writing: list[_Writing]) -> set[int]:
    """People with writing the released mood has not read (new, or changed since)."""
    read = state.get("read", {})
    return {w.participant_id for w in writing if read.get(w.key) != w.version}


def _person_mood(texts: list[str]) -> tuple[float, dict[str, float]]:
    """One person's writing in this batch: its valence (each text weighed by how much it said) and the share of
    each feeling it named. Used only inside the batch's sums, never kept."""
    moods: list[TextMood] = [text_mood(t) for t in texts]
    said = sum(m.matches for m in moods)
    valence = sum(m.valence * m.matches for m in moods) / said if said else 0.0
    named: dict[str, float] = {}
    for m in moods:
        for label, weight in m.feelings.items():
            named[label] = named.get(label, 0.0) + weight
    total = sum(named.values())
    return valence, {label: w / total for label, w in named.items()} if total else {}


def _release(state: dict, writing: list[_Writing], now: datetime) -> dict:
    """Add the batch of new writing to the smoothed sums; the writing read so far is now all of it."""
    read = state.get("read", {})
    batch: dict[int, list[str]] = {}
    for w in writing:
        if read.get(w.key) != w.version:
            batch.setdefault(w.participant_id, []).append(w.text)
    fade = 1.0
    if state.get("released"):
        minutes = (now - datetime.fromisoformat(state["released"])).total_seconds() / 60
        fade = 0.5 ** (max(0.0, minutes) / HALF_LIFE_MINUTES)
    weight = state.get("weight", 0.0) * fade
    valence_sum = state.get("valence_sum", 0.0) * fade
    feelings = {label: value * fade for label, value in state.get("feelings", {}).items()}
    for texts in batch.values():
        valence, shares = _person_mood(texts)
        weight += 1
        valence_sum += valence
        for label, share in shares.items():
            feelings[label] = feelings.get(label, 0.0) + share
    return {
        "read": {w.key: w.version for w in writing},
        "people": len({w.participant_id for w in writing}),
        "weight": weight, "valence_sum": valence_sum, "feelings": feelings,
        "released": now.isoformat(), "batches": state.get("batches", 0) + 1,
    }


def _shown(state: dict, writers: int) -> RoomMood:
    if not state.get("weight"):
        return RoomMood(writers=writers)
    feelings = state["feelings"]
    total = sum(feelings.values())
    ranked = sorted((label for label in feelings if label in MOOD_FEELINGS),
                    key=lambda label: (-feelings[label], MOOD_FEELINGS.index(label)))
    top = tuple(Feeling(label, feelings[label] / total) for label in ranked[:TOP_FEELINGS]
                if total and feelings[label] / total >= MIN_FEELING_SHARE)
    return RoomMood(writers=writers, valence=state["valence_sum"] / state["weight"], feelings=top,
                    people=state["people"], released=datetime.fromisoformat(state["released"]))


def room_mood(*, workshop: Workshop, k: int, now: datetime | None = None) -> RoomMood:
    """Release the next batch if at least k people wrote something new, then return what may be shown."""
    now = now or timezone.now()
    writing = room_writing(workshop=workshop)
    writers = len({w.participant_id for w in writing})
    release = RoomRelease.objects.filter(workshop=workshop).only("id", "figures").first()
    state = release.figures.get(MOOD, {}) if release else {}
    if len(_new_writers(state, writing)) >= max(1, k):
        with transaction.atomic():
            release, _ = RoomRelease.objects.select_for_update().get_or_create(
                workshop=workshop, defaults={"organization_id": workshop.organization_id})
            writing = room_writing(workshop=workshop)  # again, under the lock: what is released is what is read
            state = release.figures.get(MOOD, {})
            if len(_new_writers(state, writing)) >= max(1, k):
                state = _release(state, writing, now)
                RoomRelease.objects.filter(pk=release.pk).update(figures={**release.figures, MOOD: state})
        writers = len({w.participant_id for w in writing})
    return _shown(state, writers)


@dataclass(frozen=True)
class MoodPanel:
    """The monitor's side-by-side: the mood of the room's writing and the latest check-in poll."""

    text: RoomMood
    poll: CheckinResult


def room_mood_panel(*, workshop: Workshop, k: int) -> MoodPanel:
    """Both figures, read at most every ROOM_MOOD_SECONDS per workshop (a mood needs no four-second freshness,
    and the monitor's every poll then costs no query for it). Only numbers are cached, never anyone's words;
    whether the poll is open is the workshop row's, never cached."""
    seconds = getattr(settings, "ROOM_MOOD_SECONDS", 10)
    key = f"room-mood:{workshop.public_id}:{workshop.checkin_poll}:{k}"
    cached = cache.get(key) if seconds else None
    if cached is None:
        cached = MoodPanel(text=room_mood(workshop=workshop, k=k), poll=checkin_result(workshop=workshop, k=k))
        if seconds:
            cache.set(key, cached, seconds)
    return replace(cached, poll=replace(cached.poll, open=workshop.checkin_open))

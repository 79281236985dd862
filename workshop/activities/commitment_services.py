"""The commitment and its follow-up check-in: writes and reads.

A commitment is an implementation intention (Gollwitzer 1999): a situation and what the participant will do
in it ("When ..., I will ..."), optionally starting from one of the scenario's discussion prompts. Its
follow-up falls due ``Workshop.followup_days`` after it was written (the due time is fixed then, in the record's
facts). The check-in asks whether they tried it and shows one short new vignette (data/vignettes.yaml) with no
analogy, answered with the same feelings question as the scenarios and scored the same way (identification F1
against the vignette's target feelings). Facts keep the choices and the score; the words stay encrypted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.activities.commitment import Tried, followup_due
from workshop.activities.kinds import ActivityKind
from workshop.activities.records import record_for, record_update
from workshop.engine import EMOTIONS, THEMES
from workshop.participants.answers import DISTRACTORS, identification_f1
from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity

VIGNETTES = Path(__file__).with_name("data") / "vignettes.yaml"
MAX_PART = 300


class CommitmentRefused(ValueError):
    pass


@dataclass(frozen=True)
class Vignette:
    id: str
    themes: tuple[str, ...]
    person: str
    text: str
    targets: tuple[str, ...]
    language: str


@cache
def _vignettes() -> list[dict]:
    return yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))


def _code(language: str) -> str:
    return "ko" if (language or "").startswith("ko") else "en"


def vignette_get(vignette_id: str, language: str) -> Vignette | None:
    code = _code(language)
    for data in _vignettes():
        if data["id"] == vignette_id:
            return Vignette(id=data["id"], themes=tuple(data["themes"]), person=data["person"][code],
                            text=" ".join(data[code].split()), targets=tuple(e["label"] for e in data["emotions"]),
                            language=code)
    return None


def _scenarios(activity: WorkshopActivity) -> list:
    found = [a.scenario for a in WorkshopActivity.objects.filter(workshop_id=activity.workshop_id)
             .select_related("scenario").order_by("position") if a.scenario is not None]
    if activity.scenario is not None:
        found = [activity.scenario, *[s for s in found if s.id != activity.scenario_id]]
    return list({s.id: s for s in found}.values())


def commitment_prompts(*, activity: WorkshopActivity, language: str) -> list[str]:
    """The discussion prompts a commitment may start from, in the reader's language: the activity's scenario's,
    or every scenario's of the workshop when the activity names none."""
    scenarios = [activity.scenario] if activity.scenario is not None else _scenarios(activity)
    return [p for s in scenarios for p in (s.localized(language).discussion_prompts or [])]


def _seed(participant: Participant, activity: WorkshopActivity, salt: str) -> str:
    return hashlib.sha256(f"{participant.token_hash}:{activity.pk}:{salt}".encode()).hexdigest()


def followup_vignette(*, participant: Participant, activity: WorkshopActivity, language: str) -> Vignette:
    """The participant's check-in vignette: one that shares a relational theme with the workshop's scenarios
    when there is one, the same one every time for the same person (kept once answered)."""
    record = ActivityRecord.objects.filter(participant=participant, activity=activity).first()
    chosen = (record.facts or {}).get("vignette") if record else None
    if chosen and vignette_get(chosen, language):
        return vignette_get(chosen, language)
    themes = set()
    for scenario in _scenarios(activity):
        for theme in scenario.themes or []:
            info = THEMES.get(theme, {})
            themes |= {theme} if info.get("relational") else set(info.get("maps_to", []))
    pool = [v for v in _vignettes() if themes & set(v["themes"])] or _vignettes()
    pick = pool[int(_seed(participant, activity, "vignette"), 16) % len(pool)]
    return vignette_get(pick["id"], language)


def vignette_choices(*, participant: Participant, vignette: Vignette) -> list[str]:
    """The vignette's target feelings among distractors, in an order fixed for this person (as the scenarios'
    emotion_choices)."""
    seed = f"{participant.token_hash}:vignette:{vignette.id}"

    def rank(label: str) -> str:
        return hashlib.sha256(f"{seed}:{label}".encode()).hexdigest()

    others = sorted((label for label in EMOTIONS if label not in vignette.targets), key=rank)[:DISTRACTORS]
    return sorted([*vignette.targets, *others], key=rank)


def _settle(participant: Participant) -> None:
    from workshop.activities.flow import participant_settle  # the flow imports the kinds, which import this

    participant_settle(participant)


def commitment_save(*, participant: Participant, activity: WorkshopActivity, prompt: int | None, situation: str,
                    action: str) -> ActivityRecord:
    """Write (or rewrite, before the follow-up) the participant's commitment. The follow-up falls due
    ``followup_days`` after the first time it was written."""
    if activity.kind != ActivityKind.COMMITMENT:
        raise CommitmentRefused(_("This activity has no commitment."))
    situation, action = situation.strip()[:MAX_PART], action.strip()[:MAX_PART]
    if not action:
        raise CommitmentRefused(_("Write what you will do."))
    prompts = commitment_prompts(activity=activity, language=participant.language or activity.workshop.language)
    if prompt is not None and not 0 <= prompt < len(prompts):
        prompt = None
    with transaction.atomic():
        record = record_for(participant=participant, activity=activity)
        record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
        if (record.facts or {}).get("followup_at"):
            raise CommitmentRefused(_("You have already checked in on this commitment."))
        due = followup_due(record.facts) or timezone.now() + timedelta(days=activity.workshop.followup_days)
        record_update(record=record, facts={"prompt": prompt, "followup_due": due.isoformat()},
                      content={"when": situation, "will": action}, step="followup", done=True)
    _settle(participant)
    return record


def followup_save(*, participant: Participant, activity: WorkshopActivity, tried: str, labels: list[str],
                  intensity: int, understanding: int, language: str) -> ActivityRecord:
    """The check-in: whether they tried it, and their answer to the vignette (scored like a scenario's)."""
    if tried not in Tried.values:
        raise CommitmentRefused(_("Say whether you tried it."))
    with transaction.atomic():
        record = ActivityRecord.objects.select_for_update().filter(participant=participant, activity=activity).first()
        if record is None or record.done_at is None:
            raise CommitmentRefused(_("There is no commitment to check in on."))
        due = followup_due(record.facts)
        if due is None or timezone.now() < due:
            raise CommitmentRefused(_("Your check-in opens on %(date)s.") % {"date": due.date() if due else "-"})
        vignette = followup_vignette(participant=participant, activity=activity, language=language)
        record_update(record=record, facts={
            "tried": tried, "vignette": vignette.id, "labels": list(labels), "intensity": intensity,
            "understanding": understanding, "f1": identification_f1(list(labels), list(vignette.targets)),
            "followup_at": timezone.now().isoformat()})
    _settle(participant)
    return record

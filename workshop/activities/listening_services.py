"""The listening lab's writes and reads: arriving, each role's part of a round, the facilitator moving the
room on, and what each person may see. The groups and rounds themselves are listening_groups.py, kept in
WorkshopActivity.room_state and changed only with that row locked (select_for_update).

Privacy. A listener's feedback (the rules' grades of their reflection and their observers' ratings and
flagged moments) is theirs alone: ``listening_feedback`` returns only the rounds in which the asking
participant was the listener. Their words stay in their own ActivityRecord's encrypted ``content``; the
``facts`` hold grades and roles, never words, and the organization sees them only in k-anonymous aggregates
(workshop/reports/activities.py, the projector's room result).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.activities.listening_feedback import Grade, Mechanism, Reflection, reflection_grades, tip
from workshop.activities.listening_groups import (
    ROUNDS,
    LabState,
    Role,
    active_members,
    lab_advance,
    lab_arrive,
    lab_finish_part,
    lab_round,
    new_state,
    person_done,
    seat_of,
)
from workshop.activities.records import record_content, record_for, record_update
from workshop.engine import THEMES
from workshop.participants.models import ActivityRecord, Participant
from workshop.scenarios.themes import theme_normalize
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.services import audit_record
from workshop.workshops.models import Workshop, WorkshopActivity

PROMPTS = Path(__file__).with_name("data") / "listening_prompts.yaml"
MAX_TEXT = 600
MAX_MOMENT = 240


class ListeningRefused(ValueError):
    """The write does not fit the lab as it is now (not your role, a round already moved on)."""


@cache
def _bank() -> dict[str, list[dict]]:
    return yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))


def _relational(themes: list[str]) -> list[str]:
    found: list[str] = []
    for theme in map(theme_normalize, themes):
        info = THEMES.get(theme, {})
        for relational in ([theme] if info.get("relational") else list(info.get("maps_to", []))):
            if relational not in found:
                found.append(relational)
    return found


def listening_prompts(*, activity: WorkshopActivity) -> list[str]:
    """The speaking prompts this lab draws from, by id: those of the workshop's scenarios' themes (the lab's own
    scenario first), else the general ones."""
    scenarios = [a.scenario for a in WorkshopActivity.objects.filter(workshop_id=activity.workshop_id)
                 .select_related("scenario").order_by("position") if a.scenario is not None]
    if activity.scenario is not None:
        scenarios.insert(0, activity.scenario)
    themes = [t for s in scenarios for t in (s.themes or [])]
    bank = _bank()
    ids = [p["id"] for theme in _relational(themes) for p in bank.get(theme, [])]
    return list(dict.fromkeys(ids)) or [p["id"] for p in bank["default"]]


def prompt_text(prompt_id: str, language: str) -> str:
    code = "ko" if (language or "").startswith("ko") else "en"
    for prompts in _bank().values():
        for prompt in prompts:
            if prompt["id"] == prompt_id:
                return prompt.get(code) or prompt["en"]
    return ""


def _locked(activity: WorkshopActivity) -> WorkshopActivity:
    locked = WorkshopActivity.objects.select_for_update().get(pk=activity.pk)
    if not locked.room_state:
        locked.room_state = new_state()
    return locked


def _save(locked: WorkshopActivity, activity: WorkshopActivity) -> None:
    locked.save(update_fields=["room_state"])
    activity.room_state = locked.room_state
    _mark_done(locked)


def _mark_done(activity: WorkshopActivity) -> None:
    """Records of the people the lab is over for get their done time (the flow reads the room state; the
    monitor and the reports may read done_at)."""
    from workshop.activities.flow import participant_settle  # the flow imports the kinds, which import this

    state = activity.room_state
    finished = [p for p in state["arrivals"] if person_done(state, p)]
    newly = list(ActivityRecord.objects.filter(activity_id=activity.pk, participant_id__in=finished,
                                               done_at__isnull=True).values_list("participant_id", flat=True))
    if newly:
        ActivityRecord.objects.filter(activity_id=activity.pk, participant_id__in=newly).update(done_at=timezone.now())
        for person in Participant.objects.filter(id__in=newly).select_related("workshop"):
            participant_settle(person)


def listening_arrive(*, participant: Participant, activity: WorkshopActivity) -> None:
    """The participant opens the lab: they join the room (and a group, when the rounds have begun). Idempotent.
    Once the workshop is closed the lab is over: it is marked done instead, so nobody waits in it."""
    if participant.id in (activity.room_state or {}).get("arrivals", []) and not _closed(activity):
        return
    with transaction.atomic():
        locked = _locked(activity)
        state = locked.room_state
        if _closed(activity):
            if state["state"] == LabState.DONE:
                return
            state["state"], state["pending"] = LabState.DONE.value, []
            state["version"] += 1
        else:
            expected = Participant.objects.filter(workshop_id=activity.workshop_id, deleted_at__isnull=True).count()
            lab_arrive(state, participant.id, expected=expected, prompts=listening_prompts(activity=locked))
            record_for(participant=participant, activity=locked)
        _save(locked, activity)


def _closed(activity: WorkshopActivity) -> bool:
    return Workshop.objects.filter(pk=activity.workshop_id, state=Workshop.State.CLOSED).exists()


def _my_round(state: dict, participant: Participant, round_number: int, role: str) -> dict:
    found = seat_of(state, participant.id)
    if found is None or state["state"] != LabState.RUNNING:
        raise ListeningRefused(_("You are not in a group yet."))
    _index, group = found
    roles = group["roles"].get(str(round_number))
    if group["round"] != round_number or roles is None:
        raise ListeningRefused(_("Your group has moved on to another round."))
    if _role_in(roles, participant.id) != role:
        raise ListeningRefused(_("That is not your part in this round."))
    return roles


def _role_in(roles: dict, person: int) -> str | None:
    if roles["speaker"] == person:
        return Role.SPEAKER
    if roles["listener"] == person:
        return Role.LISTENER
    return Role.OBSERVER if person in roles["observers"] else None


def _part_done(*, participant: Participant, activity: WorkshopActivity, round_number: int, role: str,
               facts: dict, content: dict | None = None) -> None:
    with transaction.atomic():
        locked = _locked(activity)
        state = locked.room_state
        _my_round(state, participant, round_number, role)
        record = record_for(participant=participant, activity=locked)
        key = str(round_number)
        rounds = {**(record.facts or {}).get("rounds", {}), key: {"role": role, **facts}}
        words = {**record_content(record).get("rounds", {}), key: content} if content else None
        record_update(record=record, facts={"rounds": rounds}, content={"rounds": words} if words else None,
                      step=f"round_{round_number}")
        lab_finish_part(state, participant.id, round_number, listening_prompts(activity=locked))
        _save(locked, activity)


def listening_speaker_done(*, participant: Participant, activity: WorkshopActivity, round_number: int) -> None:
    """The speaker has finished talking."""
    _part_done(participant=participant, activity=activity, round_number=round_number, role=Role.SPEAKER, facts={})


def listening_reflection_save(*, participant: Participant, activity: WorkshopActivity, round_number: int,
                              paraphrase: str, feeling: str, question: str, language: str) -> dict[str, str]:
    """The listener's reflection: kept encrypted, graded by the rules, the grades kept in the record's facts.
    Returns the grades (the listener's feedback)."""
    reflection = Reflection(paraphrase=paraphrase.strip()[:MAX_TEXT], feeling=feeling.strip()[:MAX_TEXT],
                            question=question.strip()[:MAX_TEXT])
    grades = reflection_grades(reflection, language=language)
    _part_done(participant=participant, activity=activity, round_number=round_number, role=Role.LISTENER,
               facts={"grades": grades},
               content={"paraphrase": reflection.paraphrase, "feeling": reflection.feeling,
                        "question": reflection.question})
    return grades


def listening_rating_save(*, participant: Participant, activity: WorkshopActivity, round_number: int,
                          ratings: dict[str, str], moment: str) -> None:
    """An observer's rating of the listener on the three mechanisms, and one moment they noticed (optional):
    both for that listener's eyes only."""
    roles = _my_round(activity.room_state or new_state(), participant, round_number, Role.OBSERVER)
    moment = moment.strip()[:MAX_MOMENT]
    _part_done(participant=participant, activity=activity, round_number=round_number, role=Role.OBSERVER,
               facts={"listener": roles["listener"], "ratings": {m: ratings[m] for m in Mechanism.values},
                      "moment": bool(moment)},
               content={"moment": moment} if moment else None)


def listening_advance(*, activity: WorkshopActivity, actor) -> int:
    """The facilitator moves the lab on: from gathering to round 1, else the slowest groups one round (done
    after the third). Returns the room's round afterwards (ROUNDS + 1 once done)."""
    with transaction.atomic():
        locked = _locked(activity)
        state = locked.room_state
        if state["state"] == LabState.DONE:
            raise ListeningRefused(_("The listening lab has already finished."))
        if state["state"] == LabState.GATHERING and len(state["arrivals"]) < 2:
            raise ListeningRefused(_("At least two people need to be in the lab before the rounds can begin."))
        round_now = lab_advance(state, listening_prompts(activity=locked))
        _save(locked, activity)
        audit_record(organization_id=locked.organization_id, actor=actor, action=AuditAction.LISTENING_ADVANCE,
                     obj=locked.workshop, detail={"position": locked.position, "round": min(round_now, ROUNDS + 1)})
    return round_now


# --- what a participant sees ---------------------------------------------------------------------------------

@dataclass
class Seat:
    """Where one participant is in the lab, for their phone."""

    status: str  # gathering / waiting (a late joiner) / round / done / missed (it ended before they came)
    version: int = 0
    present: int = 0  # people in the lab
    round: int = 0
    role: str = ""
    speaker: str = ""
    listener: str = ""
    observers: list[str] = field(default_factory=list)
    prompt: str = ""
    finished: bool = False  # their part of this round is done: they wait for the group
    group: list[str] = field(default_factory=list)


def first_name(pseudonym: str) -> str:
    """A person as the others in their group see them: the first word of the name they joined with."""
    return (pseudonym or "").split()[0] if (pseudonym or "").split() else "?"


def listening_seat(*, participant: Participant, activity: WorkshopActivity, language: str) -> Seat:
    state = activity.room_state or new_state()
    base = {"version": state.get("version", 0), "present": len(state["arrivals"])}
    found = seat_of(state, participant.id)
    if person_done(state, participant.id):
        return Seat(status="done" if found is not None else "missed", **base)
    if found is None:
        return Seat(status="gathering" if state["state"] == LabState.GATHERING else "waiting", **base)
    _index, group = found
    if participant.id not in active_members(group, group["round"]):
        return Seat(status="waiting", round=group["round"], **base)
    roles = group["roles"][str(group["round"])]
    names = dict(Participant.objects.filter(id__in=group["members"]).values_list("id", "pseudonym"))
    return Seat(status="round", round=group["round"], role=_role_in(roles, participant.id),
                speaker=first_name(names.get(roles["speaker"], "")),
                listener=first_name(names.get(roles["listener"], "")),
                observers=[first_name(names.get(o, "")) for o in roles["observers"]],
                prompt=prompt_text(roles["prompt"], language) if roles["speaker"] == participant.id else "",
                finished=participant.id in group["finished"],
                group=[first_name(names.get(m, "")) for m in active_members(group, group["round"])], **base)


@dataclass
class RoundFeedback:
    """The listener's feedback on one round: the rules' grades, and each observer's ratings and moment."""

    round: int
    reflection: dict
    grades: dict[str, str]
    observed: list[dict] = field(default_factory=list)  # [{"ratings": {...}, "moment": str}]
    observers: int = 0  # how many watched (0 in a pair)


def listening_feedback(*, participant: Participant, activity: WorkshopActivity) -> list[RoundFeedback]:
    """The feedback of the rounds in which ``participant`` was the listener, and of no other round: the one
    guard that keeps a listener's feedback theirs alone. A round's feedback is its listener's record (their
    words and the rules' grades) and its observers' records (their ratings and moment for that listener)."""
    state = activity.room_state or new_state()
    found = seat_of(state, participant.id)
    if found is None:
        return []
    _index, group = found
    records = {r.participant_id: r for r in ActivityRecord.objects.filter(
        activity_id=activity.pk, participant_id__in=group["members"])}
    out = []
    for number, roles in sorted(group["roles"].items(), key=lambda item: int(item[0])):
        if roles["listener"] != participant.id:
            continue
        listener = records.get(roles["listener"])
        facts = (listener.facts or {}).get("rounds", {}).get(number, {}) if listener else {}
        if "grades" not in facts:
            continue
        item = RoundFeedback(round=int(number), grades=facts["grades"], observers=len(roles["observers"]),
                             reflection=record_content(listener).get("rounds", {}).get(number, {}))
        for observer in roles["observers"]:
            record = records.get(observer)
            seen = (record.facts or {}).get("rounds", {}).get(number, {}) if record else {}
            if seen.get("listener") == roles["listener"] and "ratings" in seen:
                words = record_content(record).get("rounds", {}).get(number, {})
                item.observed.append({"ratings": seen["ratings"], "moment": words.get("moment", "")})
        out.append(item)
    return out


GRADE_CSS = {Grade.STRONG: "done", Grade.WEAK: "pending"}  # the site's state badges: green, amber


def feedback_rows(feedback: list[RoundFeedback]) -> list[dict]:
    """The feedback as the listener reads it (their page, their summary, their packet): per round, what they
    wrote, each mechanism's grade with its label, tip and their observers' ratings, and the flagged moments."""
    labels, grades = dict(Mechanism.choices), dict(Grade.choices)
    out = []
    for item in feedback:
        rows = []
        for mechanism in Mechanism.values:
            grade = item.grades.get(mechanism, Grade.NONE)
            rows.append({"label": labels[mechanism], "grade": grade, "grade_label": grades[grade],
                         "tip": tip(mechanism, grade), "css": GRADE_CSS.get(grade, ""),
                         "observed": [grades.get(seen["ratings"].get(mechanism), "") for seen in item.observed]})
        out.append({"round": item.round, "reflection": item.reflection, "rows": rows,
                    "moments": [seen["moment"] for seen in item.observed if seen["moment"]],
                    "waiting": len(item.observed) < item.observers})
    return out


def listening_room_round(*, activity: WorkshopActivity) -> int:
    """The lab's round for the facilitator (0 while gathering, ROUNDS + 1 once done)."""
    state = activity.room_state or new_state()
    if state["state"] == LabState.GATHERING:
        return 0
    return lab_round(state) if state["state"] == LabState.RUNNING else ROUNDS + 1

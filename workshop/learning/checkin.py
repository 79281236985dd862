"""The facilitator's one-tap check-in, "How is this landing?": opened and closed from the monitor (each with its
audit row), answered once per person per poll on the phone (1..5), and shown like every room figure: only over
at least k answers, and only in batches of k, so an answer cannot be read off the change it makes.

Answers cannot be changed, so the batches need no stored state: the answers are taken in the order they came,
and the first multiple of k of them is what is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workshop.participants.models import Participant, RoomCheckin
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.services import audit_record
from workshop.workshops.models import Workshop
from workshop.workshops.services import WorkshopStateError

VALUES = (1, 2, 3, 4, 5)


class CheckinClosed(ValueError):
    pass


@dataclass(frozen=True)
class CheckinResult:
    poll: int  # 0: no poll yet
    open: bool
    answered: int  # how many have answered this poll (a count, not their answers)
    shown: int = 0  # how many answers the figures hold: a multiple of k, 0 below k
    mean: float | None = None  # 1..5
    top_two: float | None = None  # share answering 4 or 5

    @property
    def mean_percent(self) -> int:
        return round(100 * ((self.mean or 1.0) - 1) / 4)

    @property
    def top_two_percent(self) -> int:
        return round(100 * (self.top_two or 0.0))


def _set(*, workshop: Workshop, opened: bool, actor) -> Workshop:
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if opened:
            if locked.state != Workshop.State.OPEN:
                raise WorkshopStateError(_("A check-in can be run only while the workshop is open."))
            if locked.checkin_open:
                return locked
            locked.checkin_poll += 1
        elif not locked.checkin_open:
            return locked
        locked.checkin_open = opened
        locked.save(update_fields=["checkin_poll", "checkin_open"])
        audit_record(organization_id=locked.organization_id, actor=actor,
                     action=AuditAction.CHECKIN_OPEN if opened else AuditAction.CHECKIN_CLOSE, obj=locked,
                     detail={"poll": locked.checkin_poll})
    workshop.checkin_poll, workshop.checkin_open = locked.checkin_poll, locked.checkin_open
    return workshop


def checkin_open(*, workshop: Workshop, actor) -> Workshop:
    """Start a new "How is this landing?" poll (a new poll number: earlier answers stay with their poll)."""
    return _set(workshop=workshop, opened=True, actor=actor)


def checkin_close(*, workshop: Workshop, actor) -> Workshop:
    return _set(workshop=workshop, opened=False, actor=actor)


def checkin_answer(*, participant: Participant, value: int) -> bool:
    """One tap. False when this person has answered this poll already (the first answer stands)."""
    if value not in VALUES:
        raise ValueError("a check-in is 1..5")
    workshop = Workshop.objects.only("id", "state", "checkin_poll", "checkin_open").get(pk=participant.workshop_id)
    if not workshop.checkin_open or workshop.state != Workshop.State.OPEN or participant.deleted_at:
        raise CheckinClosed(_("The check-in has closed."))
    try:
        with transaction.atomic():
            RoomCheckin.objects.create(organization_id=participant.organization_id, workshop_id=workshop.id,
                                       participant=participant, poll=workshop.checkin_poll, value=value)
    except IntegrityError:
        return False
    return True


def checkin_answered(*, participant: Participant, poll: int) -> bool:
    return RoomCheckin.objects.filter(participant=participant, poll=poll).exists()


def checkin_card(*, participant: Participant | None, answered: bool | None = None) -> dict:
    """What a participant's check-in card shows: nothing while no poll is open; the five buttons; or thanks once
    answered. One query, and only while a poll is open (the participant's workshop is loaded with them)."""
    workshop = participant.workshop if participant is not None else None
    is_open = bool(workshop and workshop.checkin_open and workshop.state == Workshop.State.OPEN
                   and not participant.deleted_at)
    if is_open and answered is None:
        answered = checkin_answered(participant=participant, poll=workshop.checkin_poll)
    return {"checkin_open": is_open, "checkin_answered": bool(answered), "checkin_values": VALUES}


def checkin_result(*, workshop: Workshop, k: int) -> CheckinResult:
    """The latest poll as the room may see it: figures over the first multiple of k answers, none below k."""
    if not workshop.checkin_poll:
        return CheckinResult(poll=0, open=workshop.checkin_open, answered=0)
    values = list(RoomCheckin.objects.filter(workshop=workshop, poll=workshop.checkin_poll)
                  .order_by("created", "id").values_list("value", flat=True))
    shown = len(values) // max(1, k) * max(1, k)
    result = CheckinResult(poll=workshop.checkin_poll, open=workshop.checkin_open, answered=len(values))
    if shown < max(1, k):
        return result
    counted = values[:shown]
    return CheckinResult(poll=result.poll, open=result.open, answered=result.answered, shown=shown,
                         mean=sum(counted) / shown, top_two=sum(v >= 4 for v in counted) / shown)

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.activities.kinds import Pacing
from workshop.participants.instruments import InstrumentId
from workshop.scenarios.languages import DEFAULT_LANGUAGE, SCENARIO_LANGUAGES
from workshop.scenarios.models import Scenario
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.services import audit_record
from workshop.workshops.activities import ActivityPlan, ActivityPlanError, activities_write, default_plan, plan_check
from workshop.workshops.models import Workshop, new_join_token
from workshop.workshops.short_code import short_code_free


class WorkshopStateError(ValueError):
    pass


# A workshop's named settings and the names they may take (each declared once, where it belongs). The front ends
# offer only these; anything else is a programming error, refused before it is stored.
NAMED_SETTINGS = {"language": SCENARIO_LANGUAGES, "engine": Workshop.Engine.values, "instrument": InstrumentId.values,
                  "pacing": Pacing.values}


def workshop_create(*, organization_id: int, owner, title: str, scenarios: list[Scenario], capacity: int,
                    generic_share: float = 0.0, language: str = DEFAULT_LANGUAGE, engine: str = Workshop.Engine.BUILTIN,
                    instrument: str = InstrumentId.MINI_IPIP, show_reflections: bool = True,
                    activities: list[ActivityPlan] | None = None, pacing: str = Pacing.SELF,
                    followup_days: int = 7) -> Workshop:
    """A draft workshop. Without ``activities`` it runs one scenario with analogy per scenario."""
    named = {"language": language, "engine": engine, "instrument": instrument, "pacing": pacing}
    if unknown := {k: v for k, v in named.items() if v not in NAMED_SETTINGS[k]}:
        raise ValueError(f"unknown workshop settings: {unknown}")
    plan = default_plan(scenarios) if activities is None else activities
    if not plan:
        raise WorkshopStateError(_("Choose at least one scenario."))
    try:
        plan_check(plan)
    except ActivityPlanError as refused:
        raise WorkshopStateError(str(refused)) from None
    with transaction.atomic():
        workshop = Workshop.objects.create(
            organization_id=organization_id, owner=owner, title=title, capacity=capacity,
            generic_share=generic_share, language=language, engine=engine, instrument=instrument,
            show_reflections=show_reflections, pacing=pacing, followup_days=followup_days,
        )
        activities_write(workshop=workshop, plan=plan)
        audit_record(organization_id=organization_id, actor=owner, action=AuditAction.WORKSHOP_CREATE, obj=workshop)
    return workshop


# What may change once people can join: the rest would change the session under them (or the experiment).
CHANGEABLE_WHEN_OPEN = {"title", "capacity", "show_reflections"}


def workshop_update(*, workshop: Workshop, actor, scenarios: list[Scenario] | None = None, **fields) -> Workshop:
    """Change a workshop's settings. Scenarios, engine, instrument, language and the generic share change only
    while it is a draft; title, capacity and the reflections option at any time. Capacity never drops below
    the people who already joined."""
    if unknown := {k: v for k, v in fields.items() if k in NAMED_SETTINGS and v not in NAMED_SETTINGS[k]}:
        raise ValueError(f"unknown workshop settings: {unknown}")
    changed = sorted(k for k, v in fields.items() if getattr(workshop, k) != v)
    if scenarios is not None and [ws.scenario_id for ws in workshop.workshop_scenarios.all()] != [s.id for s in
                                                                                                   scenarios]:
        changed.append("scenarios")
    if not changed:
        return workshop
    if workshop.state != Workshop.State.DRAFT and set(changed) - CHANGEABLE_WHEN_OPEN:
        raise WorkshopStateError(_("Only the title, capacity and reflections option can change after the workshop "
                                   "has been opened."))
    if scenarios is not None and not scenarios:
        raise WorkshopStateError(_("Choose at least one scenario."))
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if "capacity" in fields and fields["capacity"] < locked.participants.count():
            raise WorkshopStateError(_("Capacity cannot be lower than the number of people who already joined."))
        for key, value in fields.items():
            setattr(locked, key, value)
        if fields:
            locked.save(update_fields=list(fields))
        if "scenarios" in changed:  # a new list of scenarios: the default activities for them
            activities_write(workshop=locked, plan=default_plan(scenarios))
        audit_record(organization_id=locked.organization_id, actor=actor, action=AuditAction.WORKSHOP_UPDATE,
                     obj=locked, detail={"fields": changed})
    return locked


def workshop_join_token_rotate(*, workshop: Workshop, actor) -> Workshop:
    """A new join link and short code; the old ones stop working at once. People who joined keep their own
    links. A closed workshop has none to rotate."""
    with transaction.atomic():
        rotated = Workshop.objects.filter(pk=workshop.pk).exclude(state=Workshop.State.CLOSED).update(
            join_token=new_join_token(), short_code=short_code_free())
        if not rotated:
            raise WorkshopStateError(_("A closed workshop has no join link to rotate."))
        audit_record(organization_id=workshop.organization_id, actor=actor,
                     action=AuditAction.WORKSHOP_JOIN_LINK_ROTATE, obj=workshop)
    workshop.refresh_from_db()
    return workshop


def workshop_open(*, workshop: Workshop, actor) -> Workshop:
    """Open a draft for joining, or reopen a closed workshop. An open one is refused: opening it again would
    restart its clock and record an opening that did not happen."""
    with transaction.atomic():
        opened = Workshop.objects.filter(pk=workshop.pk).exclude(state=Workshop.State.OPEN).update(
            state=Workshop.State.OPEN, opened_at=timezone.now(), closed_at=None)
        if not opened:
            raise WorkshopStateError(_("The workshop is already open."))
        audit_record(organization_id=workshop.organization_id, actor=actor, action=AuditAction.WORKSHOP_OPEN,
                     obj=workshop)
    workshop.refresh_from_db()
    return workshop


def workshop_close(*, workshop: Workshop, actor) -> Workshop:
    if workshop.state != Workshop.State.OPEN:
        raise WorkshopStateError(_("Only an open workshop can be closed."))
    from workshop.debrief.services import packets_request_for_workshop

    with transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.CLOSED, closed_at=timezone.now())
        audit_record(organization_id=workshop.organization_id, actor=actor, action=AuditAction.WORKSHOP_CLOSE,
                     obj=workshop)
        workshop.refresh_from_db()
        # Everyone's debrief packet and the facilitator's, built by workers once this commits.
        packets_request_for_workshop(workshop=workshop)
    return workshop


def workshop_wall_set(*, workshop: Workshop, revealed: bool, actor) -> Workshop:
    """Show or hide the wall of shared reflections on the projector. Only workshops that chose to show
    reflections to the room can reveal it; hiding always works."""
    if revealed and not workshop.show_reflections:
        raise WorkshopStateError(_("This workshop was set up not to show reflections to the room."))
    Workshop.objects.filter(pk=workshop.pk).update(wall_revealed=revealed)
    audit_record(organization_id=workshop.organization_id, actor=actor,
                 action=AuditAction.WALL_REVEAL if revealed else AuditAction.WALL_CONCEAL, obj=workshop)
    workshop.wall_revealed = revealed
    return workshop


def qr_svg(data: str) -> str:
    """An SVG QR code (made by the qrcode library) that scales to any size on a projector."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg"):]

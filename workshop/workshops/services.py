from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.scenarios.models import Scenario
from workshop.tenancy.services import audit_record
from workshop.workshops.models import Workshop, WorkshopScenario


class WorkshopStateError(ValueError):
    pass


def workshop_create(*, organization_id: int, owner, title: str, scenarios: list[Scenario], capacity: int,
                    generic_share: float = 0.0, language: str = "en", engine: str = "builtin",
                    instrument: str = "mini_ipip", show_reflections: bool = True) -> Workshop:
    if not scenarios:
        raise WorkshopStateError(_("Choose at least one scenario."))
    with transaction.atomic():
        workshop = Workshop.objects.create(
            organization_id=organization_id, owner=owner, title=title, capacity=capacity,
            generic_share=generic_share, language=language, engine=engine, instrument=instrument,
            show_reflections=show_reflections,
        )
        WorkshopScenario.objects.bulk_create([
            WorkshopScenario(organization_id=organization_id, workshop=workshop, scenario=s, position=i)
            for i, s in enumerate(scenarios, 1)
        ])
        audit_record(organization_id=organization_id, actor=owner, action="workshop.create", obj=workshop)
    return workshop


def workshop_open(*, workshop: Workshop, actor) -> Workshop:
    Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.OPEN, opened_at=timezone.now(),
                                                  closed_at=None)
    audit_record(organization_id=workshop.organization_id, actor=actor, action="workshop.open", obj=workshop)
    workshop.refresh_from_db()
    return workshop


def workshop_close(*, workshop: Workshop, actor) -> Workshop:
    if workshop.state != Workshop.State.OPEN:
        raise WorkshopStateError(_("Only an open workshop can be closed."))
    from workshop.debrief.services import packets_request_for_workshop

    with transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.CLOSED, closed_at=timezone.now())
        audit_record(organization_id=workshop.organization_id, actor=actor, action="workshop.close", obj=workshop)
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
                 action="wall.reveal" if revealed else "wall.conceal", obj=workshop)
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

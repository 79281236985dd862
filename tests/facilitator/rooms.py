"""Build a room of participants in a few queries (bulk_create), at whatever step the test needs."""

from __future__ import annotations

import secrets

from django.utils import timezone

from workshop.participants.models import Analogy, Participant, Response
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.selectors import workshop_scenarios


def targets(scenario) -> list[str]:
    return [e["label"] for e in scenario.emotions]


def room(workshop: Workshop, count: int, *, prefix: str = "Person", step: str = "scenarios",
         analogy: str | None = "done", fallback_reason: str = "", before: bool = False, after: bool = False,
         reflection: str = "", share: bool = False) -> list[Participant]:
    """``count`` participants; with ``step='scenarios'`` each has an analogy per scenario in state ``analogy``
    and, if asked, before/after answers (wrong before, right after) on every scenario."""
    with unscoped():
        scenarios = workshop_scenarios(workshop=workshop)
        people = Participant.objects.bulk_create([
            Participant(organization_id=workshop.organization_id, workshop=workshop, pseudonym=f"{prefix} {i:03d}",
                        token_hash=secrets.token_hex(32), consent_at=timezone.now(), step=step,
                        profile={"domains": ["cooking"]} if step != "profile" else {})
            for i in range(count)])
        if analogy and step != "profile":
            Analogy.objects.bulk_create([
                Analogy(organization_id=workshop.organization_id, participant=p, scenario=s, condition="personalized",
                        state=analogy, engine="builtin", fallback_reason=fallback_reason)
                for p in people for s in scenarios])
        if before or after:
            Response.objects.bulk_create([
                Response(organization_id=workshop.organization_id, participant=p, scenario=s,
                         pre_labels=["joy"] if before else [], pre_understanding=3 if before else None,
                         pre_intensity={"overall": 3} if before else {},
                         post_labels=targets(s) if after else [], post_understanding=6 if after else None,
                         reflection=reflection if after else "", share_reflection=share and after)
                for p in people for s in scenarios])
    return people

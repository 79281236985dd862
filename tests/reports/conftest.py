"""Report data written straight to the tables: groups of people with known answers, so every figure a test
checks can be worked out by hand."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from django.utils import timezone

from tests import factories
from workshop.participants.models import Analogy, Participant, Response
from workshop.tenancy.models import token_hash
from workshop.tenancy.scope import organization_scope, unscoped

_serial = itertools.count()


def add_people(workshop, n: int, *, condition: str = "personalized", joined: datetime | None = None,
               pre_f1: float | None = 0.25, post_f1: float | None = 0.75, pre_u: int | None = 3,
               post_u: int | None = 5, resonance: int | None = 4, source_kind: str = "domain",
               source_family: str = "team_sport", reflection: str = "", share: bool = False,
               scenarios=None, step: str = "done", analogy: bool = True) -> list[Participant]:
    """n participants of ``workshop`` who each answered its scenarios (all of them, or ``scenarios``)."""
    with unscoped():
        chosen = scenarios if scenarios is not None else [ws.scenario for ws in workshop.workshop_scenarios.all()]
        people = Participant.objects.bulk_create([
            Participant(organization_id=workshop.organization_id, workshop=workshop, pseudonym=f"P{i}",
                        token_hash=token_hash(f"report-test-{i}"), consent_at=timezone.now(), step=step,
                        condition=condition)
            for i in (next(_serial) for _ in range(n))
        ])
        if joined is not None:
            Participant.objects.filter(pk__in=[p.pk for p in people]).update(created=joined)
        answered = pre_u is not None
        Response.objects.bulk_create([
            Response(organization_id=workshop.organization_id, participant=p, scenario=s,
                     pre_labels=["hurt"] if answered else [], pre_understanding=pre_u, pre_f1=pre_f1,
                     post_labels=["hurt"] if post_u is not None else [], post_understanding=post_u,
                     post_f1=post_f1, resonance=resonance, source_kind=source_kind, source_family=source_family,
                     reflection=reflection, share_reflection=share)
            for p in people for s in chosen
        ] if answered else [])
        if analogy:
            Analogy.objects.bulk_create([
                Analogy(organization_id=workshop.organization_id, participant=p, scenario=s, condition=condition,
                        state="done", source={"kind": source_kind, "domain": source_family})
                for p in people for s in chosen
            ])
    return people


@pytest.fixture
def in_scope_a(org_a):
    with organization_scope(org_a.org.id):
        yield org_a.org


@pytest.fixture
def library():
    return factories.builtin_scenarios()

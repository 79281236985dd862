"""Composing a workshop from activities, and moving a presenter-paced room from one to the next.

The scenarios a workshop uses (WorkshopScenario, which analogies, answers and reports key on) follow from its
activities: every scenario an activity is about, in the order they first appear."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from workshop.activities.kinds import ActivityKind, Pacing
from workshop.activities.registry import ACTIVITIES, activity_for
from workshop.scenarios.models import Scenario
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.services import audit_record
from workshop.workshops.models import Workshop, WorkshopActivity, WorkshopScenario

MAX_ACTIVITIES = 20


class ActivityPlanError(ValueError):
    pass


@dataclass(frozen=True)
class ActivityPlan:
    kind: str
    scenario: Scenario | None = None
    settings: dict = field(default_factory=dict)


def default_plan(scenarios: list[Scenario]) -> list[ActivityPlan]:
    """The default workshop: one scenario with analogy per scenario."""
    return [ActivityPlan(ActivityKind.ANALOGY, s) for s in scenarios]


def plan_check(plan: list[ActivityPlan]) -> None:
    """Refuses a plan the flow could not run, with a message for the facilitator."""
    if not plan:
        raise ActivityPlanError(_("Add at least one activity."))
    if len(plan) > MAX_ACTIVITIES:
        raise ActivityPlanError(_("A workshop can have at most %(n)d activities.") % {"n": MAX_ACTIVITIES})
    analogies_seen: set[int] = set()
    for number, item in enumerate(plan, 1):
        if item.kind not in ACTIVITIES:
            raise ActivityPlanError(_("Activity %(n)d: choose a kind of activity.") % {"n": number})
        declared = activity_for(item.kind)
        if declared.needs_scenario and item.scenario is None:
            raise ActivityPlanError(_("Activity %(n)d (%(kind)s) needs a scenario.")
                                    % {"n": number, "kind": declared.label})
        if item.kind == ActivityKind.PERSPECTIVE and item.scenario.id not in analogies_seen:
            raise ActivityPlanError(_("Activity %(n)d: perspective-getting follows a scenario with analogy about "
                                      "the same scenario; add that first.") % {"n": number})
        if item.kind == ActivityKind.ANALOGY:
            if item.scenario.id in analogies_seen:
                raise ActivityPlanError(_("Activity %(n)d: this scenario already has its analogy activity.")
                                        % {"n": number})
            analogies_seen.add(item.scenario.id)


def plan_scenarios(plan: list[ActivityPlan]) -> list[Scenario]:
    seen: dict[int, Scenario] = {}
    for item in plan:
        if item.scenario is not None and item.scenario.id not in seen:
            seen[item.scenario.id] = item.scenario
    return list(seen.values())


def activities_write(*, workshop: Workshop, plan: list[ActivityPlan]) -> None:
    """Replaces a workshop's activities and scenarios with the plan's (inside the caller's transaction)."""
    plan_check(plan)
    workshop.activities.all().delete()
    workshop.workshop_scenarios.all().delete()
    WorkshopActivity.objects.bulk_create([
        WorkshopActivity(organization_id=workshop.organization_id, workshop=workshop, position=i, kind=item.kind,
                         scenario=item.scenario, settings=dict(item.settings))
        for i, item in enumerate(plan, 1)])
    WorkshopScenario.objects.bulk_create([
        WorkshopScenario(organization_id=workshop.organization_id, workshop=workshop, scenario=s, position=i)
        for i, s in enumerate(plan_scenarios(plan), 1)])


def workshop_plan(*, workshop: Workshop) -> list[ActivityPlan]:
    return [ActivityPlan(a.kind, a.scenario, a.settings)
            for a in workshop.activities.select_related("scenario").order_by("position")]


def workshop_activities_set(*, workshop: Workshop, plan: list[ActivityPlan], actor) -> Workshop:
    """Compose a draft workshop's activities."""
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if locked.state != Workshop.State.DRAFT:
            raise ActivityPlanError(_("Activities can change only while the workshop is a draft."))
        activities_write(workshop=locked, plan=plan)
        audit_record(organization_id=locked.organization_id, actor=actor, action=AuditAction.WORKSHOP_ACTIVITIES,
                     obj=locked, detail={"kinds": [item.kind for item in plan]})
    return locked


def workshop_move_to(*, workshop: Workshop, position: int, actor) -> Workshop:
    """Presenter pacing: move the room to the activity at ``position`` (from 1). Phones follow on their next
    poll; nobody loses what they were doing."""
    if workshop.pacing != Pacing.PRESENTER:
        raise ActivityPlanError(_("This workshop is self-paced: participants move on their own."))
    if workshop.state != Workshop.State.OPEN:
        raise ActivityPlanError(_("Only an open workshop can be moved to another activity."))
    count = workshop.activities.count()
    if not 1 <= position <= count:
        raise ActivityPlanError(_("There is no activity %(n)d.") % {"n": position})
    Workshop.objects.filter(pk=workshop.pk).update(current_position=position)
    audit_record(organization_id=workshop.organization_id, actor=actor, action=AuditAction.WORKSHOP_MOVE, obj=workshop,
                 detail={"position": position})
    workshop.current_position = position
    return workshop

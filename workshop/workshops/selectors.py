from workshop.scenarios.models import Scenario
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


def workshop_by_join_token(join_token: str) -> Workshop | None:
    """The join link names its workshop before any organization is known: a deliberate unscoped read."""
    if not join_token or len(join_token) > 64:
        return None
    with unscoped():
        return Workshop.objects.select_related("organization").filter(join_token=join_token).first()


def workshop_scenarios(*, workshop: Workshop) -> list[Scenario]:
    return [ws.scenario for ws in workshop.workshop_scenarios.select_related("scenario").order_by("position")]


def workshop_analogy_scenarios(*, workshop: Workshop) -> list[Scenario]:
    """The scenarios that have a scenario-with-analogy activity: the ones each participant gets an analogy for."""
    from workshop.activities.kinds import ActivityKind
    from workshop.workshops.models import WorkshopActivity

    return [a.scenario for a in WorkshopActivity.objects.filter(workshop_id=workshop.pk, kind=ActivityKind.ANALOGY)
            .select_related("scenario").order_by("position")]


def workshop_needs_profile(*, workshop: Workshop) -> bool:
    """Whether participants fill in the profile: only an activity that writes for them needs it."""
    from workshop.activities.registry import ACTIVITIES
    from workshop.workshops.models import WorkshopActivity

    kinds = set(WorkshopActivity.objects.filter(workshop_id=workshop.pk).values_list("kind", flat=True))
    return any(ACTIVITIES[kind].needs_profile for kind in kinds if kind in ACTIVITIES)

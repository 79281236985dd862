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

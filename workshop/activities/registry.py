"""Every activity kind, by its ActivityKind value. The one place a new kind is registered."""
from workshop.activities.analogy import ScenarioAnalogy
from workshop.activities.base import Activity
from workshop.activities.bystander import BystanderRehearsal
from workshop.activities.commitment import Commitment
from workshop.activities.empathy_map import EmpathyMap
from workshop.activities.kinds import ActivityKind
from workshop.activities.listening import ListeningLab
from workshop.activities.perspective import Perspective

ACTIVITIES: dict[str, Activity] = {
    ActivityKind.ANALOGY: ScenarioAnalogy(),
    ActivityKind.EMPATHY_MAP: EmpathyMap(),
    ActivityKind.PERSPECTIVE: Perspective(),
    ActivityKind.BYSTANDER: BystanderRehearsal(),
    ActivityKind.LISTENING: ListeningLab(),
    ActivityKind.COMMITMENT: Commitment(),
}


def activity_for(kind: str) -> Activity:
    return ACTIVITIES[kind]

"""Every activity kind, by its ActivityKind value. The one place a new kind is registered."""
from workshop.activities.analogy import ScenarioAnalogy
from workshop.activities.base import Activity
from workshop.activities.kinds import ActivityKind
from workshop.activities.listening import ListeningLab

ACTIVITIES: dict[str, Activity] = {
    ActivityKind.ANALOGY: ScenarioAnalogy(),
    ActivityKind.LISTENING: ListeningLab(),
}


def activity_for(kind: str) -> Activity:
    return ACTIVITIES[kind]

"""Through the real worker on the real broker: every analogy row gets its strategy and assignment probability."""

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.learning.rooms import assignment_of
from tests.learning.test_loop_assignments import FITTING_MEMORY
from workshop.participants.models import Analogy
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def written(participant) -> list[Analogy]:
    with unscoped():
        rows = list(Analogy.objects.filter(participant=participant, is_current=True).order_by("scenario_id"))
    return rows if rows and all(a.state == "done" for a in rows) else []


def test_the_worker_writes_each_analogy_by_a_recorded_strategy_with_its_probability(celery_worker, org_a):
    workshop = factories.open_workshop(org_a, scenarios=2)
    chooser, _ = factories.joined_participant(workshop, "Tomas", domains=["church choir", "sourdough baking"])
    rememberer, _ = factories.joined_participant(workshop, "Helen", domains=["cycling club"],
                                                 memory=FITTING_MEMORY)
    for analogy in wait_for(lambda: written(chooser), what="the worker to write Tomas's analogies"):
        chosen = assignment_of(analogy)
        assert analogy.strategy == chosen.strategy and analogy.assignment_probability == chosen.probability
        assert chosen.eligible >= 3 and len(chosen.probabilities) == chosen.eligible
        assert 0.1 <= analogy.assignment_probability <= 1 - 0.1 * (chosen.eligible - 1)
    first = wait_for(lambda: written(rememberer), what="the worker to write Helen's analogies")[0]
    assert first.strategy.startswith("own_experience:") and first.assignment_probability == 1.0

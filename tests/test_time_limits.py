"""The order of timeouts that keeps a slow LLM from causing double work or lost rows."""

from django.conf import settings

from workshop.celery import RECOVERY_QUEUE, app
from workshop.engine import LLMConfig
from workshop.participants.tasks import analogy_generate


def test_task_limits_sit_below_the_brokers_visibility_timeout():
    generate = analogy_generate
    assert generate.soft_time_limit < generate.time_limit < settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_the_llm_gives_up_before_the_task_soft_limit():
    generate = analogy_generate
    config = LLMConfig(model="m", timeout_s=settings.LLM_TIMEOUT_SECONDS)
    assert config.timeout_s < config.budget_s < generate.soft_time_limit


def test_the_sweeper_takes_a_row_back_only_after_the_task_hard_limit():
    # A task still holding its row past the hard limit is a thread that could not be interrupted: its row is taken
    # back, and its late write is refused by the claim check.
    assert settings.ANALOGY_STUCK_SECONDS > analogy_generate.time_limit


def test_the_llm_budget_ends_a_call_timeout_before_the_soft_limit():
    from workshop.participants.llm import llm_budget_s

    assert llm_budget_s() <= analogy_generate.soft_time_limit - settings.LLM_TIMEOUT_SECONDS


def test_the_sweeper_runs_periodically():
    schedule = app.conf.beat_schedule["sweep-analogies"]
    assert schedule["task"] == "participants.sweep_analogies" and schedule["schedule"] <= 60
    # Every beat task goes to the recovery queue, which a backlog of analogies does not hold back.
    routes = app.conf.task_routes
    assert all(routes[entry["task"]]["queue"] == RECOVERY_QUEUE for entry in app.conf.beat_schedule.values())

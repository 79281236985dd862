"""The loop's writes: choose the strategy of a personalized analogy and record the probability, learn from the
answers and from "try another analogy", and the admin's pause, resume, reset and sharing. Each call runs inside
the organization scope the caller opened (task base, middleware)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from workshop.engine import AnalogyResult, ProfileSpec, ScenarioSpec, analyze_scenario, eligible_strategies
from workshop.engine.llm import llm_eligible_strategies
from workshop.learning.models import LoopSettings, LoopState, StrategyAssignment, StrategyStats
from workshop.learning.policy import Evidence, Posterior, assignment, draw_strategy, outcome_evidence, posterior
from workshop.participants.models import Analogy, Participant, Response
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.scope import unscoped
from workshop.tenancy.services import audit_record
from workshop.workshops.models import Workshop

RESONANCE_HIT = 4  # top-two box of the 1-5 rating


def loop_settings(*, organization_id: int) -> LoopSettings:
    """The organization's loop settings; defaults (running, sharing, epoch 1) until an admin changes them."""
    found = LoopSettings.objects.filter(organization_id=organization_id).first()
    return found or LoopSettings(organization_id=organization_id)


def _evidence(row: dict) -> Evidence:
    return Evidence(row["resonance_n"] or 0, row["resonance_hits"] or 0, row["gain_n"] or 0,
                    row["gain_sum"] or 0.0, row["gain_sumsq"] or 0.0)


_SUMS = {f: Sum(f) for f in ("resonance_n", "resonance_hits", "gain_n", "gain_sum", "gain_sumsq")}


def strategy_posteriors(*, settings: LoopSettings, theme: str, strategies: list[str]) -> dict[str, Posterior]:
    """Each strategy's posterior in this theme: the organization's own current-epoch sums, with the other
    sharing organizations' sums as its prior, unless this organization opted out of sharing."""
    own = {row["strategy"]: _evidence(row) for row in StrategyStats.objects.filter(
        epoch=settings.epoch, theme=theme, strategy__in=strategies).values("strategy").annotate(**_SUMS)}
    pooled: dict[str, Evidence] = {}
    if settings.share_with_others:
        # The escape hatch, on purpose: the pool is the sum over every organization that shares (its current
        # epoch only). Only sums are read, never a row about anyone.
        with unscoped():
            current = LoopSettings.objects.filter(organization_id=OuterRef("organization_id"))
            rows = (StrategyStats.objects
                    .exclude(organization_id=settings.organization_id)
                    .exclude(organization_id__in=LoopSettings.objects.filter(share_with_others=False)
                             .values("organization_id"))
                    .annotate(current=Coalesce(Subquery(current.values("epoch")[:1]), Value(1)))
                    .filter(epoch=F("current"), theme=theme, strategy__in=strategies)
                    .values("strategy").annotate(**_SUMS))
            pooled = {row["strategy"]: _evidence(row) for row in rows}
    return {s: posterior(own.get(s, Evidence()), pooled.get(s)) for s in strategies}


def strategy_generate(*, analogy: Analogy, scenario: ScenarioSpec, profile: ProfileSpec,
                      generate: Callable[..., AnalogyResult]) -> tuple[AnalogyResult, float]:
    """Write the analogy with ``generate(analogy, scenario, profile, variant=..., strategy=...)`` and return it with
    the probability its strategy was chosen with. The loop chooses for a personalized analogy with something
    left to choose: among the built-in engine's strategies, or in an LLM workshop among the LLM's (the same
    sources and scenes, framed "llm": a separate arm). The generic condition never adapts, and an own memory that
    clearly fits is always used: those are certain (1.0)."""
    variant = analogy.version - 1
    if analogy.condition != Participant.Condition.PERSONALIZED:
        return generate(analogy, scenario, profile, variant=variant), 1.0
    settings = loop_settings(organization_id=analogy.organization_id)
    theme = analyze_scenario(scenario).relational_themes[0]
    if analogy.participant.workshop.engine == Workshop.Engine.OPENAI:
        strategies = llm_eligible_strategies(scenario, profile)
    else:
        strategies = eligible_strategies(scenario, profile)
    rng = random.Random(secrets.randbits(128))
    chosen = assignment(strategy_posteriors(settings=settings, theme=theme, strategies=strategies), rng=rng,
                        paused=settings.state == LoopState.PAUSED)
    strategy, probability = draw_strategy(chosen, rng)
    result = generate(analogy, scenario, profile, variant=variant, strategy=strategy)
    StrategyAssignment.objects.update_or_create(analogy=analogy, defaults={
        "organization_id": analogy.organization_id, "epoch": settings.epoch, "theme": theme, "strategy": strategy,
        "probability": probability, "eligible": len(chosen.probabilities), "mode": chosen.mode,
        "uniform_share": chosen.uniform_share, "probabilities": chosen.probabilities,
        "resonance_hit": None, "gain": None, "replaced": False})
    return result, probability


def _learn(row: StrategyAssignment, *, resonance_hit: bool | None, gain: float | None, replaced: bool) -> None:
    """Store the assignment's outcome and move its sums by the difference, so saving the same answers twice
    counts once. Call inside a transaction, with the row locked."""
    before = outcome_evidence(resonance_hit=row.resonance_hit, gain=row.gain)
    after = outcome_evidence(resonance_hit=resonance_hit, gain=gain)
    row.resonance_hit, row.gain, row.replaced = resonance_hit, gain, replaced
    row.save(update_fields=["resonance_hit", "gain", "replaced", "updated"])
    if before == after:
        return
    key = {"organization_id": row.organization_id, "epoch": row.epoch, "theme": row.theme, "strategy": row.strategy}
    StrategyStats.objects.bulk_create([StrategyStats(**key)], ignore_conflicts=True)
    StrategyStats.objects.filter(**key).update(
        resonance_n=F("resonance_n") + round(after.resonance_n - before.resonance_n),
        resonance_hits=F("resonance_hits") + round(after.resonance_hits - before.resonance_hits),
        gain_n=F("gain_n") + round(after.gain_n - before.gain_n),
        gain_sum=F("gain_sum") + (after.gain_sum - before.gain_sum),
        gain_sumsq=F("gain_sumsq") + (after.gain_sumsq - before.gain_sumsq))


def strategy_outcome_record(*, response: Response) -> None:
    """The after-answers of the current analogy were given: the response names the analogy's strategy and its
    probability (for reports), and the loop learns its resonance (4-5 of 5 is a hit) and the gain in naming the
    feelings. Call inside the saving transaction, before the response is saved."""
    current = (Analogy.objects.filter(participant_id=response.participant_id, scenario_id=response.scenario_id,
                                      is_current=True).only("id", "strategy", "assignment_probability").first())
    if current is None:
        return
    response.strategy, response.assignment_probability = current.strategy, current.assignment_probability
    row = StrategyAssignment.objects.select_for_update().filter(analogy_id=current.id).first()
    if row is None:
        return
    gain = (response.post_f1 - response.pre_f1
            if response.post_f1 is not None and response.pre_f1 is not None else None)
    hit = None if response.resonance is None else response.resonance >= RESONANCE_HIT
    _learn(row, resonance_hit=hit, gain=gain, replaced=False)


def strategy_replaced(*, analogy: Analogy) -> None:
    """"Try another analogy": a miss for the strategy of the analogy it replaces. Call inside the transaction
    that makes the new version."""
    row = StrategyAssignment.objects.select_for_update().filter(analogy_id=analogy.id).first()
    if row is not None and not row.replaced:
        _learn(row, resonance_hit=False, gain=row.gain, replaced=True)


def _settings_for_update(organization_id: int) -> LoopSettings:
    LoopSettings.objects.get_or_create(organization_id=organization_id)
    return LoopSettings.objects.select_for_update().get(organization_id=organization_id)


def loop_pause(*, organization_id: int, actor, paused: bool) -> LoopSettings:
    """Pause (plain uniform assignment from the next analogy on) or resume the loop."""
    with transaction.atomic():
        settings = _settings_for_update(organization_id)
        state = LoopState.PAUSED if paused else LoopState.RUNNING
        if settings.state != state:
            settings.state = state
            settings.save(update_fields=["state", "updated"])
            audit_record(organization_id=organization_id, actor=actor,
                         action=AuditAction.LOOP_PAUSE if paused else AuditAction.LOOP_RESUME)
    return settings


def loop_reset(*, organization_id: int, actor) -> LoopSettings:
    """Forget what was learned: a new epoch starts from the pooled prior (or a flat one); earlier assignments
    keep their rows but no longer count, in the loop or on its page."""
    with transaction.atomic():
        settings = _settings_for_update(organization_id)
        settings.epoch += 1
        settings.save(update_fields=["epoch", "updated"])
        audit_record(organization_id=organization_id, actor=actor, action=AuditAction.LOOP_RESET)
    return settings


def loop_sharing_set(*, organization_id: int, actor, share: bool) -> LoopSettings:
    """Opt in or out of the installation's pool: out, the loop learns only from this organization's outcomes
    and lends the others none."""
    with transaction.atomic():
        settings = _settings_for_update(organization_id)
        if settings.share_with_others != share:
            settings.share_with_others = share
            settings.save(update_fields=["share_with_others", "updated"])
            audit_record(organization_id=organization_id, actor=actor,
                         action=AuditAction.LOOP_SHARING_ON if share else AuditAction.LOOP_SHARING_OFF)
    return settings


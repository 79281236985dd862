"""Participant writes: join, profile, analogy generation. Views and tasks stay thin and call these."""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.engine import ProfileSpec, ScenarioSpec, generate
from workshop.learning.services import strategy_generate, strategy_replaced
from workshop.participants.models import Analogy, Participant
from workshop.participants.selectors import participant_language
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import new_token, token_hash
from workshop.tenancy.services import audit_record
from workshop.tenancy.tasks import DB_CONNECTION_ERRORS
from workshop.workshops.models import Workshop
from workshop.workshops.selectors import workshop_analogy_scenarios, workshop_needs_profile

log = logging.getLogger(__name__)


MAX_ANALOGY_VERSIONS = 3  # the first analogy and two more on request


class JoinRefused(Exception):
    """The workshop cannot take this participant. The message is shown to them as it is."""


def participant_join(*, workshop: Workshop, pseudonym: str, language: str = "") -> tuple[Participant, str]:
    """Create a participant who consented. Returns the participant and their secret token (shown once)."""
    with transaction.atomic():
        # Lock the workshop row so two people joining at once cannot both take the last seat.
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if locked.state != Workshop.State.OPEN:
            raise JoinRefused(_("This workshop is not open for joining right now."))
        if locked.participants.count() >= locked.capacity:
            raise JoinRefused(_("This workshop is full."))
        token = new_token(32)
        generic = secrets.SystemRandom().random() < locked.generic_share
        participant = Participant.objects.create(
            organization_id=locked.organization_id, workshop=locked, pseudonym=pseudonym.strip()[:40],
            token_hash=token_hash(token), consent_at=timezone.now(), language=language[:12],
            condition=Participant.Condition.GENERIC if generic else Participant.Condition.PERSONALIZED,
            # A workshop without an analogy activity asks for no profile: straight to its first activity.
            step=Participant.Step.PROFILE if workshop_needs_profile(workshop=locked) else Participant.Step.SCENARIOS,
        )
    return participant, token


def participant_profile_save(*, participant: Participant, profile: ProfileSpec) -> list[Analogy]:
    """Store the whole profile and, in the same transaction, one pending analogy per scenario. The first is
    enqueued on commit, while the participant reads the first scenario; each of the others when the one before
    it is written (``analogy_send_next``). Memories go to the encrypted column, never into the profile JSON."""
    data = profile.model_dump(mode="json")
    memories = [{"text": e["text"], "events": e["events"], "feelings": e["feelings"]}
                for e in data.pop("experiences", [])]
    with transaction.atomic():
        participant.profile = data
        participant.memories = json.dumps(memories, ensure_ascii=False) if memories else ""
        participant.step = Participant.Step.SCENARIOS
        participant.save(update_fields=["profile", "memories", "step"])
        analogies = [
            analogy_create(participant=participant, scenario_id=scenario.id, enqueue=position == 0)
            for position, scenario in enumerate(workshop_analogy_scenarios(workshop=participant.workshop))
        ]
    return analogies


def participant_experiences(participant: Participant) -> list[dict]:
    """The participant's memories as the engine takes them: {text, events, feelings} each (what happened and
    how it felt, as they chose on the memory page). Reads the older plain list of texts too."""
    try:
        stored = json.loads(participant.memories) if participant.memories else []
    except ValueError:
        return []
    out = []
    for item in stored if isinstance(stored, list) else []:
        if isinstance(item, str):
            item = {"text": item}
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append({"text": item["text"], "events": list(item.get("events") or []),
                        "feelings": list(item.get("feelings") or [])})
    return out


def participant_memories(participant: Participant) -> list[str]:
    """The texts of the participant's memories."""
    return [e["text"] for e in participant_experiences(participant)]


def participant_profile_part_save(*, participant: Participant, **parts) -> Participant:
    """Save one part of the profile as the participant goes (personality answers, values, domains, avoid).
    Nothing is generated yet; a dropped connection loses at most the current page."""
    from workshop.participants.instruments import instrument

    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        profile = dict(locked.profile or {})
        if "personality_answers" in parts:
            locked.personality_answers = {**locked.personality_answers, **parts.pop("personality_answers")}
            profile["traits"] = instrument(locked.workshop.instrument).score(locked.personality_answers)
        profile.update(parts)
        ProfileSpec.model_validate({**profile, "name": locked.pseudonym})  # refuse what the engine would refuse
        locked.profile = profile
        locked.save(update_fields=["profile", "personality_answers"])
    return locked


def participant_profile_complete(*, participant: Participant, memories: list[str | dict]) -> list[Analogy]:
    """The last profile page: the memories (a text, or {text, events, feelings}), then the analogies, all in
    one transaction. A double submit or a second tab finds the profile already complete and creates nothing
    more."""
    profile = ProfileSpec.model_validate({**participant.profile, "name": participant.pseudonym,
                                          "experiences": list(memories)})
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.step != Participant.Step.PROFILE:
            return []
        return participant_profile_save(participant=locked, profile=profile)


def analogy_create(*, participant: Participant, scenario_id: int, enqueue: bool = True) -> Analogy:
    """A new current analogy version (the previous one is kept as history), enqueued on commit unless
    ``enqueue`` is false (it waits for ``analogy_send_next``, or the sweeper). Call inside a transaction."""
    previous = (Analogy.objects.select_for_update()
                .filter(participant=participant, scenario_id=scenario_id).order_by("-version").first())
    if previous:
        Analogy.objects.filter(participant=participant, scenario_id=scenario_id).update(is_current=False)
    analogy = Analogy.objects.create(
        organization_id=participant.organization_id, participant=participant, scenario_id=scenario_id,
        version=(previous.version + 1) if previous else 1, condition=participant.condition,
    )
    if enqueue:
        transaction.on_commit(lambda: analogy_enqueue(analogy=analogy))
    return analogy


def analogy_send_next(*, analogy_id: int) -> Analogy | None:
    """Generating ahead, one analogy at a time: once a participant's analogy is written (or has failed), the next
    of theirs still waiting goes to the queue. So in a burst the whole room's first analogies come before
    anyone's second one, instead of 40 people x 3 scenarios in join order (issue 15). Sending one twice is
    harmless: the row is claimed once."""
    participant_id = Analogy.objects.filter(pk=analogy_id).order_by().values_list("participant_id", flat=True).first()
    upcoming = (Analogy.objects.filter(participant_id=participant_id, is_current=True, state=Analogy.State.PENDING,
                                       attempts=0).exclude(pk=analogy_id).order_by("id").first())
    if upcoming is not None:
        analogy_enqueue(analogy=upcoming)
    return upcoming


def analogy_enqueue(*, analogy: Analogy) -> bool:
    """Hand the row to the queue. If the broker is down the row stays pending and the sweeper retries.

    A broker that refused or timed out a message a moment ago is not tried again for REDIS_BREAKER_SECONDS
    (workshop/breaker.py, shared with the cache): during an outage a join must not wait on one more connection
    attempt per analogy. A message is sent again once, on a new connection, only when the broker closed the old
    one (it restarted); a broker that does not answer costs one socket timeout. The rows stay pending; the
    sweeper sends them."""
    from workshop.breaker import redis_breaker, timed_out
    from workshop.participants.tasks import analogy_generate

    if not redis_breaker.allow():
        return False
    for attempt in (1, 2):
        try:
            analogy_generate.apply_async(
                kwargs={"analogy_id": analogy.id, "organization_id": analogy.organization_id}, retry=False)
        except Exception as exc:  # the broker is unreachable: the database still has the row
            if attempt == 1 and not timed_out(exc):
                continue
            redis_breaker.failed(exc)
            log.warning("could not enqueue analogy %s; the sweeper will retry", analogy.id, exc_info=True)
            return False
        redis_breaker.succeeded()
        return True
    return False  # pragma: no cover - the loop always returns


def _profile_for_engine(participant: Participant) -> ProfileSpec:
    data = dict(participant.profile or {})
    data.setdefault("name", participant.pseudonym)
    data["experiences"] = participant_experiences(participant)
    data["language"] = participant_language(participant)  # the one they read now, not when they wrote it
    return ProfileSpec.model_validate(data)


def analogy_run(*, analogy_id: int, claim: str | None = None) -> str:
    """Claim the row (exactly one worker wins), generate, save. Returns what happened, for logs and tests.

    ``claim`` names this piece of work (the task id): a retry of the same work, after the database connection
    dropped, takes back the row it had claimed. A database connection error is raised for the task to retry;
    any other error marks the row failed."""
    claim = claim or uuid.uuid4().hex
    mine = Q(state=Analogy.State.PENDING) | Q(state=Analogy.State.RUNNING, claim=claim)
    claimed = Analogy.objects.filter(mine, pk=analogy_id, is_current=True).update(
        state=Analogy.State.RUNNING, claim=claim, attempts=F("attempts") + 1, updated=timezone.now(),
    )
    if claimed != 1:
        return "skipped"
    analogy = Analogy.objects.select_related("participant__workshop", "scenario", "organization").get(pk=analogy_id)
    started = time.perf_counter()
    try:
        # The scenario in the participant's language: their analogy is written from the version they read.
        scenario = ScenarioSpec.model_validate(
            analogy.scenario.to_spec_dict(participant_language(analogy.participant)))
        profile = _profile_for_engine(analogy.participant)
        result, probability = strategy_generate(analogy=analogy, scenario=scenario, profile=profile, generate=_generate)
    except DB_CONNECTION_ERRORS:
        raise  # the row stays claimed by this work; its retry takes it back on a new connection
    except Exception as exc:  # whatever went wrong, the row must not stay 'running': the participant can retry
        log.exception("analogy %s failed", analogy_id)
        Analogy.objects.filter(pk=analogy_id, claim=claim).update(
            state=Analogy.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], updated=timezone.now())
        analogy_send_next(analogy_id=analogy_id)
        return "failed"
    usage = result.usage
    saved = Analogy.objects.filter(pk=analogy_id, claim=claim, state=Analogy.State.RUNNING).update(
        state=Analogy.State.DONE, engine=result.engine, title=result.title[:300], text=result.text,
        bridge=result.bridge, source=result.source.model_dump(mode="json"),
        mapping=[m.model_dump(mode="json") for m in result.mapping], emotions=list(result.emotions),
        checks=dict(result.checks), tokens_in=usage.tokens_in, tokens_out=usage.tokens_out,
        cached_tokens=usage.cached_tokens,
        latency_ms=usage.latency_ms or int((time.perf_counter() - started) * 1000),
        fallback_reason=(result.fallback_reason or "")[:300], error="", updated=timezone.now(),
        strategy=result.strategy[:120], assignment_probability=probability,
    )
    if saved == 1:
        analogy_send_next(analogy_id=analogy_id)
    return "done" if saved == 1 else "lost-claim"


def _generate(analogy: Analogy, scenario: ScenarioSpec, profile: ProfileSpec, *, variant: int,
              strategy: str | None = None):
    """The workshop's engine; the built-in one answers whenever the LLM cannot, and the row says why."""
    from workshop.engine.llm import builtin_strategy
    from workshop.participants.llm import RateLimitTimeout, llm_config_for

    builtin = {"engine": Workshop.Engine.BUILTIN, "mode": analogy.condition, "variant": variant, "strategy": strategy}
    # The comparison condition is one fixed text per scenario for everyone, whatever the workshop's engine:
    # an LLM would write each person a different 'generic' analogy.
    engine = analogy.participant.workshop.engine
    if engine != Workshop.Engine.OPENAI or analogy.condition == Participant.Condition.GENERIC:
        return generate(scenario, profile, **builtin)
    # The loop chose an LLM strategy; without the LLM the built-in engine writes by its counterpart (the same
    # source and scene), which is always among its eligible ones (the LLM's are derived from them).
    builtin["strategy"] = builtin_strategy(strategy) if strategy else None
    llm = llm_config_for(analogy.organization)
    if llm is None:
        result = generate(scenario, profile, **builtin)
        return result.model_copy(update={"fallback_reason": "openai: no LLM endpoint is configured"})
    try:
        return generate(scenario, profile, engine=engine, mode=analogy.condition, llm=llm, variant=variant,
                        strategy=strategy)
    except SoftTimeLimitExceeded:
        reason = "openai: took longer than the task's time limit"
    except RateLimitTimeout:
        reason = "openai: the organization's requests-per-minute budget stayed exhausted"
    except DB_CONNECTION_ERRORS:
        raise
    except Exception as exc:  # an unexpected error on the LLM path must not cost the participant their analogy
        log.exception("analogy %s: the openai engine failed unexpectedly", analogy.id)
        reason = f"openai: unexpected error ({type(exc).__name__})"
    result = generate(scenario, profile, **builtin)
    return result.model_copy(update={"fallback_reason": reason})


def analogy_regenerate(*, participant: Participant, scenario_id: int) -> Analogy | None:
    """'Try another analogy': a new version, the earlier ones kept as history. None when the cap is reached
    or the current one is still being written."""
    with transaction.atomic():
        current = (Analogy.objects.select_for_update()
                   .filter(participant=participant, scenario_id=scenario_id, is_current=True).first())
        if current is None or current.state in (Analogy.State.PENDING, Analogy.State.RUNNING):
            return None
        if current.version >= MAX_ANALOGY_VERSIONS:
            return None
        strategy_replaced(analogy=current)  # the loop counts it as a miss
        return analogy_create(participant=participant, scenario_id=scenario_id)


def analogy_retry(*, analogy: Analogy, actor=None, via: str = "") -> bool:
    """Put a failed analogy back in the queue; False when it is not failed (nothing happens). Staff retrying one
    (``actor``; ``via`` names the front end when it is not the console) is recorded; the participant retrying
    their own is not."""
    with transaction.atomic():
        reset = Analogy.objects.filter(pk=analogy.pk, state=Analogy.State.FAILED).update(
            state=Analogy.State.PENDING, error="", updated=timezone.now())
        if reset and actor is not None:
            audit_record(organization_id=analogy.organization_id, actor=actor, action=AuditAction.ANALOGY_RETRY,
                         obj=analogy, detail={"workshop": analogy.participant.workshop.public_id,
                                              **({"via": via} if via else {})})
        if reset:
            transaction.on_commit(lambda: analogy_enqueue(analogy=analogy))
    return bool(reset)


def analogies_sweep() -> int:
    """Re-enqueue analogies left pending (lost message) or stuck running (killed worker).

    Runs across organizations from the periodic task. Called with the escape hatch open by its task.
    """
    now = timezone.now()
    stuck = Analogy.objects.filter(
        state=Analogy.State.RUNNING, is_current=True,
        updated__lt=now - timedelta(seconds=settings.ANALOGY_STUCK_SECONDS))
    # Back to pending with the old timestamp, so this same pass re-enqueues it below (not one sweep later).
    stuck.update(state=Analogy.State.PENDING, claim="")
    stale = list(Analogy.objects.filter(
        Q(state=Analogy.State.PENDING, is_current=True),
        updated__lt=now - timedelta(seconds=settings.ANALOGY_PENDING_SECONDS),
    ).only("id", "organization_id")[:5000])
    for analogy in stale:
        analogy_enqueue(analogy=analogy)
    Analogy.objects.filter(pk__in=[a.id for a in stale]).update(updated=now)
    return len(stale)

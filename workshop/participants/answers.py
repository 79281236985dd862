"""A participant's answers to one scenario: before and after the analogy, reflection, resonance; and
'delete my data'."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from workshop.debrief.services import facilitator_packet_rebuild
from workshop.debrief.stats import identification_accuracy, target_labels
from workshop.engine import DOMAIN_FAMILIES, EMOTIONS, domain_family
from workshop.learning.services import strategy_outcome_record
from workshop.participants.models import Analogy, Participant, Response
from workshop.scenarios.models import Scenario
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import token_hash
from workshop.tenancy.services import audit_record

DISTRACTORS = 5


def emotion_choices(*, participant: Participant, scenario: Scenario) -> list[str]:
    """The scenario's target feelings mixed with distractors from the vocabulary, in an order that is fixed
    for this participant and scenario (the same before and after) but does not give the targets away."""
    targets = [e["label"] for e in scenario.emotions]
    seed = f"{participant.token_hash}:{scenario.pk}"

    def rank(label: str) -> str:
        return hashlib.sha256(f"{seed}:{label}".encode()).hexdigest()

    others = sorted((label for label in EMOTIONS if label not in targets), key=rank)[:DISTRACTORS]
    return sorted([*targets, *others], key=rank)


def response_for(*, participant: Participant, scenario: Scenario) -> Response:
    response, _ = Response.objects.get_or_create(
        participant=participant, scenario=scenario, defaults={"organization_id": participant.organization_id})
    return response


def response_before_save(*, participant: Participant, scenario: Scenario, labels: list[str], intensity: int,
                         understanding: int) -> Response:
    """Idempotent: a double submit or a second tab writes the same answer again."""
    with transaction.atomic():
        response = response_for(participant=participant, scenario=scenario)
        response.pre_labels, response.pre_intensity = labels, {"overall": intensity}
        response.pre_understanding = understanding
        response.pre_f1 = identification_f1(labels, _targets(scenario))
        response.save()
    return response


def response_after_save(*, participant: Participant, scenario: Scenario, labels: list[str], intensity: int,
                        understanding: int, reflection: str, share_reflection: bool,
                        resonance: int | None) -> Response:
    with transaction.atomic():
        response = response_for(participant=participant, scenario=scenario)
        response.post_labels, response.post_intensity = labels, {"overall": intensity}
        response.post_understanding = understanding
        response.reflection, response.share_reflection = reflection, share_reflection and bool(reflection)
        response.resonance = resonance
        response.post_f1 = identification_f1(labels, _targets(scenario))
        response.source_kind, response.source_family = analogy_source(
            Analogy.objects.filter(participant=participant, scenario=scenario, is_current=True)
            .values_list("source", flat=True).first())
        strategy_outcome_record(response=response)  # the analogy's strategy on the answer; the loop learns
        response.save()
        from workshop.activities.flow import participant_settle  # the flow's kinds import this module

        participant_settle(participant)
    return response


def _targets(scenario: Scenario) -> list[str]:
    return [str(e.get("label", "")) for e in scenario.emotions]


SOURCE_KINDS = ("own_experience", "domain", "universal")


def analogy_source(source: dict | None) -> tuple[str, str]:
    """(kind, domain family) of the analogy a rating was about, for reports. The engines record the family id
    in ``source["domain"]``; older or free-text values are mapped with the engine's own vocabulary."""
    if not isinstance(source, dict):
        return "", ""
    kind = source.get("kind") if source.get("kind") in SOURCE_KINDS else ""
    domain = source.get("domain")
    if not isinstance(domain, str) or not domain.strip():
        return kind, ""
    family = domain if domain in DOMAIN_FAMILIES else (domain_family(domain[:200]) or "")
    return kind, family


def identification_f1(chosen: list[str], targets: list[str]) -> float:
    """F1 of the chosen feelings against the scenario's target feelings, scored exactly as the packets and
    the monitor score it (0 when nothing was chosen)."""
    return identification_accuracy(chosen, target_labels([{"label": t} for t in targets])) or 0.0


def _delete_files(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


def participant_delete_data(*, participant: Participant, audit: bool = True, keep_anonymous_answers: bool = False
                            ) -> None:
    """'Delete my data': the profile, memories, answers, reflections, analogies and packets go, and the
    workshop's facilitator packet is rebuilt without them. What stays is an anonymous row that only counts
    that someone joined (and how far they got).

    ``keep_anonymous_answers`` (the retention purge, not the participant's own request): the answers' numbers
    stay on the anonymous row (feelings chosen, ratings, scores, what the analogy drew on) so the
    organization's k-anonymous reports keep their history; every word the participant wrote still goes."""
    with transaction.atomic():
        # Locked, so a worker still rendering one of them cannot store its file on a row about to go.
        packets = list(participant.packets.select_for_update())
        files = [(packet.file.storage, packet.file.name) for packet in packets if packet.file]
        # Files are not part of the transaction: they go only once their rows are gone for good, so an
        # interrupted deletion never leaves a packet whose PDF has vanished.
        transaction.on_commit(lambda: _delete_files(files))
        participant.packets.all().delete()
        participant.analogies.all().delete()
        answers = participant.responses.all()
        # The facilitator packet holds shared reflections and, unless the numbers stay, the answers' figures.
        in_room_packet = (answers.filter(share_reflection=True).exclude(reflection="") if keep_anonymous_answers
                          else answers).exists()
        # Activity records: what they wrote goes; with the numbers kept, the counts (choices, grades) stay.
        records = participant.activity_records.all()
        in_room_packet = in_room_packet or records.filter(shared=True).exclude(content="").exists()
        if keep_anonymous_answers:
            answers.update(reflection="", share_reflection=False, hidden_from_wall=False)
            records.update(content="", shared=False)
        else:
            answers.delete()
            records.delete()
            participant.checkins.all().delete()
        Participant.objects.filter(pk=participant.pk).update(
            pseudonym="", profile={}, personality_answers={}, memories="", language="",
            token_hash=token_hash(secrets.token_urlsafe(32)), deleted_at=timezone.now())
        if in_room_packet:  # rebuilt without them by the worker, once this deletion has committed
            facilitator_packet_rebuild(workshop_id=participant.workshop_id,
                                       organization_id=participant.organization_id)
        # The audit names no one: the participant is gone, only that a deletion happened stays. The
        # retention purge records one event for its whole batch instead.
        if audit:
            audit_record(organization_id=participant.organization_id, actor=None,
                         action=AuditAction.PARTICIPANT_DELETE_DATA,
                         detail={"workshop": participant.workshop.public_id})

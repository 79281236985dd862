"""Participants (pseudonym, step, status: nothing they wrote) and their analogies (status; regenerate).

Staff only, as in the console: analysts never see who joined. People who deleted their data are not listed.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from workshop.activities.flow import DONE, JOINED, PROFILE, WAITING, room_places
from workshop.activities.registry import ACTIVITIES
from workshop.api.base import ApiViewSet
from workshop.api.errors import Conflict
from workshop.api.fields import StrictFilterSet, StrictOrderingFilter
from workshop.api.scenarios import scenario_key
from workshop.participants.models import Analogy, Participant
from workshop.participants.services import analogy_retry
from workshop.tenancy.access import STAFF_ROLES

STATUSES = ("none", "pending", "running", "failed", "done")
PUBLIC_ID_REGEX = r"[A-Za-z0-9_-]{1,64}"


def step_names() -> list[str]:
    """Every value of a participant's ``step``: joined and profile, each activity kind's steps (a scenario with
    analogy: before, analogy, after), waiting (presenter pacing holds them before the room's activity), done."""
    names = [JOINED, PROFILE]
    for declared in ACTIVITIES.values():
        names += [name for name in declared.step_names() if name not in names]
    return [*names, WAITING, DONE]


def participant_steps(participants: list[Participant]) -> dict[int, tuple[str, int | None, str]]:
    """(step, activity position, status) per participant id, from the flow (workshop/activities/flow.py), in a
    few queries per workshop on the page.

    status: their analogies at a glance: failed if any failed, else running, else pending, else done
    ('none' before their profile is complete).
    """
    by_workshop: dict[int, list[Participant]] = {}
    for p in participants:
        by_workshop.setdefault(p.workshop_id, []).append(p)
    places = {}
    for members in by_workshop.values():
        places.update(room_places(workshop=members[0].workshop, participants=members))
    analogies: dict[int, set[str]] = {}
    for pid, state in Analogy.objects.filter(participant_id__in=[p.id for p in participants], is_current=True
                                             ).values_list("participant_id", "state"):
        analogies.setdefault(pid, set()).add(state)
    out = {}
    for p in participants:
        states = analogies.get(p.id, set())
        status = next((s for s in ("failed", "running", "pending", "done") if s in states), "none")
        place = places[p.id]
        out[p.id] = (place.step, place.position, status)
    return out


class ParticipantOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    workshop = serializers.CharField(source="workshop.public_id")
    pseudonym = serializers.CharField()
    step = serializers.SerializerMethodField(help_text="Where they are in the workshop's flow.")
    activity = serializers.SerializerMethodField(
        help_text="The position (from 1) of the activity the step belongs to, or that presenter pacing holds them "
                  "before; null before the activities and once done.")
    status = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=step_names()))
    def get_step(self, obj: Participant) -> str:
        return self.context["steps"][obj.id][0]

    def get_activity(self, obj: Participant) -> int | None:
        return self.context["steps"][obj.id][1]

    @extend_schema_field(serializers.ChoiceField(choices=STATUSES))
    def get_status(self, obj: Participant) -> str:
        return self.context["steps"][obj.id][2]


class ParticipantFilter(StrictFilterSet):
    workshop = filters.CharFilter(field_name="workshop__public_id", max_length=64)

    class Meta:
        model = Participant
        fields = ["workshop"]


@extend_schema_view(list=extend_schema(summary="People who joined (pseudonym, step and status only)"),
                    retrieve=extend_schema(summary="One participant"))
class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = ParticipantOutputSerializer
    queryset = Participant._base_manager.none()  # the model, for the schema; rows come from get_queryset()
    lookup_value_regex = PUBLIC_ID_REGEX
    filterset_class = ParticipantFilter
    filter_backends = [filters.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["created", "pseudonym"]
    ordering = ["created", "pk"]
    roles = {"list": STAFF_ROLES, "retrieve": STAFF_ROLES}

    def get_queryset(self):
        return (Participant.objects.filter(deleted_at__isnull=True).select_related("workshop")
                .only("id", "public_id", "pseudonym", "step", "profile", "personality_answers", "created",
                      "workshop_id", "workshop__public_id", "workshop__pacing", "workshop__current_position"))

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"steps": participant_steps(page)}
        return self.get_paginated_response(ParticipantOutputSerializer(page, many=True, context=context).data)

    def retrieve(self, request, id: str):
        participant = self.get_object()
        context = {"steps": participant_steps([participant])}
        return Response(ParticipantOutputSerializer(participant, context=context).data)


# --- analogies ---------------------------------------------------------------------------------------------

class AnalogyOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    participant = serializers.CharField(source="participant.public_id")
    workshop = serializers.CharField(source="participant.workshop.public_id")
    scenario = serializers.SerializerMethodField(help_text="The scenario's key.")
    version = serializers.IntegerField(help_text="1 for the first analogy; each regeneration adds one.")
    state = serializers.ChoiceField(choices=Analogy.State.choices)
    engine = serializers.CharField(help_text="The engine that wrote it (empty until done).")
    fallback = serializers.SerializerMethodField(help_text="The built-in engine answered instead of the LLM.")
    attempts = serializers.IntegerField()
    created = serializers.DateTimeField()
    updated = serializers.DateTimeField()

    def get_scenario(self, obj: Analogy) -> str:
        return scenario_key(obj.scenario)

    def get_fallback(self, obj: Analogy) -> bool:
        return bool(obj.fallback_reason)


class AnalogyFilter(StrictFilterSet):
    workshop = filters.CharFilter(field_name="participant__workshop__public_id", max_length=64)
    participant = filters.CharFilter(field_name="participant__public_id", max_length=64)
    state = filters.ChoiceFilter(choices=Analogy.State.choices)

    class Meta:
        model = Analogy
        fields = ["workshop", "participant", "state"]


@extend_schema_view(
    list=extend_schema(summary="Current analogies: status only, never their text"),
    retrieve=extend_schema(summary="One analogy's status"),
    regenerate=extend_schema(summary="Put a failed analogy back in the queue (as the live monitor's retry)",
                             request=None, responses={202: AnalogyOutputSerializer}),
)
class AnalogyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The text is the participant's own (it retells their memories): the API gives its status only.
    Regenerating follows the console: staff may re-queue a *failed* analogy; a new version of a finished one
    is the participant's choice ('try another'), made on their phone."""

    serializer_class = AnalogyOutputSerializer
    queryset = Analogy._base_manager.none()  # the model, for the schema; rows come from get_queryset()
    lookup_value_regex = PUBLIC_ID_REGEX
    filterset_class = AnalogyFilter
    filter_backends = [filters.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["created", "updated"]
    ordering = ["created", "pk"]
    conflict_actions = ("regenerate",)
    roles = {"list": STAFF_ROLES, "retrieve": STAFF_ROLES, "regenerate": STAFF_ROLES}

    def get_queryset(self):
        return (Analogy.objects.filter(is_current=True).filter(Q(participant__deleted_at__isnull=True))
                .select_related("participant__workshop", "scenario")
                .only("id", "organization_id", "public_id", "version", "state", "engine", "fallback_reason",
                      "attempts", "created", "updated", "participant__public_id", "participant__workshop__public_id",
                      "scenario__slug", "scenario__organization_id"))

    @action(detail=True, methods=["post"])
    def regenerate(self, request, id: str):
        analogy = self.get_object()
        if not analogy_retry(analogy=analogy, actor=request.user, via="api"):
            raise Conflict(_("Only a failed analogy can be regenerated; this one is %(state)s.")
                           % {"state": analogy.state}, code="not_failed")
        return Response(self.get_serializer(self.get_queryset().get(pk=analogy.pk)).data, status=202)

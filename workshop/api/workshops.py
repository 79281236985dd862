"""Workshops: list, read, create, update, open, close, and rotate the join link (and the short code with it).

A workshop is a sequence of activities (``activities``: kind, scenario key, settings), self- or presenter-paced.
Without ``activities`` it is the usual workshop: one scenario with analogy per scenario in ``scenarios``.

Staff (admins, facilitators) run workshops, as in the console. Analysts may read a workshop's settings and
counts (report filters name workshops) but never its join link; participants are a staff-only resource.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from workshop.activities.kinds import ActivityKind, Pacing
from workshop.api.base import ApiViewSet
from workshop.api.errors import Conflict
from workshop.api.fields import StrictFilterSet, StrictOrderingFilter, StrictSerializer, UtcDateTimeFilter
from workshop.api.scenarios import KEY_REGEX, scenario_key, scenario_lineage
from workshop.participants.instruments import InstrumentId
from workshop.scenarios.languages import DEFAULT_LANGUAGE, SCENARIO_LANGUAGES
from workshop.tenancy.access import ALL_ROLES, STAFF_ROLES
from workshop.workshops.activities import (
    MAX_ACTIVITIES,
    ActivityPlan,
    ActivityPlanError,
    plan_check,
    plan_scenarios,
    workshop_activities_set,
)
from workshop.workshops.models import Workshop, WorkshopActivity, WorkshopScenario
from workshop.workshops.services import (
    WorkshopStateError,
    workshop_close,
    workshop_create,
    workshop_join_token_rotate,
    workshop_open,
    workshop_update,
)


class WorkshopScenarioSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    key = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()


class WorkshopActivitySerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="From 1, in the order the room goes through them.")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    scenario = serializers.CharField(allow_null=True, help_text="The scenario's key; null for a kind without one.")
    settings = serializers.DictField(help_text="The activity's own settings, as given.")


class WorkshopOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=Workshop.State.choices)
    capacity = serializers.IntegerField()
    generic_share = serializers.FloatField()
    language = serializers.ChoiceField(choices=SCENARIO_LANGUAGES)
    engine = serializers.ChoiceField(choices=Workshop.Engine.choices)
    instrument = serializers.ChoiceField(choices=InstrumentId.values)
    show_reflections = serializers.BooleanField()
    owner = serializers.SerializerMethodField()
    scenarios = serializers.SerializerMethodField()
    activities = serializers.SerializerMethodField()
    pacing = serializers.ChoiceField(choices=Pacing.choices)
    current_activity = serializers.IntegerField(
        source="current_position", help_text="Presenter pacing: the activity (its position) the room is on.")
    followup_days = serializers.IntegerField(help_text="Days until a commitment's check-in is offered.")
    participants = serializers.IntegerField(source="participant_count", help_text="How many people joined.")
    join_url = serializers.SerializerMethodField(help_text="Staff only; null for analysts.")
    short_code = serializers.SerializerMethodField(
        help_text="The six-character code people type at /go; staff only, null for analysts (and for a workshop "
                  "made before codes existed, until its join link is rotated).")
    created = serializers.DateTimeField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_owner(self, obj: Workshop) -> str | None:
        return obj.owner.get_username() if obj.owner else None

    @extend_schema_field(WorkshopScenarioSerializer(many=True))
    def get_scenarios(self, obj: Workshop) -> list[dict]:
        return [{"position": ws.position, "key": scenario_key(ws.scenario), "version": ws.scenario.version,
                 "title": ws.scenario.title} for ws in obj.workshop_scenarios.all()]

    @extend_schema_field(WorkshopActivitySerializer(many=True))
    def get_activities(self, obj: Workshop) -> list[dict]:
        return [{"position": a.position, "kind": a.kind, "scenario": scenario_key(a.scenario) if a.scenario else None,
                 "settings": a.settings} for a in obj.activities.all()]

    def _staff(self) -> bool:
        membership = self.context.get("membership")
        return membership is not None and membership.role in STAFF_ROLES

    def get_join_url(self, obj: Workshop) -> str | None:
        if not self._staff():
            return None
        return settings.SITE_URL + reverse("participants:join", args=[obj.join_token])

    def get_short_code(self, obj: Workshop) -> str | None:
        return obj.short_code if self._staff() else None


SETTINGS_MAX_CHARS = 2000


class ActivityInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    scenario = serializers.RegexField(f"^{KEY_REGEX}$", max_length=88, required=False, allow_null=True,
                                      help_text="The scenario's key, for a kind that is about a scenario.")
    settings = serializers.DictField(required=False, default=dict,
                                     help_text=f"The activity's own settings (JSON, up to {SETTINGS_MAX_CHARS} "
                                               "characters).")

    def validate_scenario(self, key: str | None):
        if key is None:
            return None
        scenario = scenario_lineage(key).filter(is_current=True).first()
        if scenario is None:
            raise serializers.ValidationError(_("No scenario with this key."), code="does_not_exist")
        return scenario

    def validate_settings(self, value: dict) -> dict:
        if len(json.dumps(value, ensure_ascii=False)) > SETTINGS_MAX_CHARS:
            raise serializers.ValidationError(_("The settings are too long."), code="max_length")
        return value


class WorkshopInputSerializer(StrictSerializer):
    required_any_of = (("scenarios",), ("activities",))  # the schema says it too (workshop/api/schema.py)

    title = serializers.CharField(max_length=200)
    scenarios = serializers.ListField(
        child=serializers.RegexField(f"^{KEY_REGEX}$", max_length=88), allow_empty=False, max_length=20,
        required=False,
        help_text="Scenario keys in the order they are shown: 'library:<slug>' or your own '<slug>'; the current "
                  "version of each is used. Required without activities: each gets a scenario with analogy.")
    activities = serializers.ListField(
        child=ActivityInputSerializer(), allow_empty=False, max_length=MAX_ACTIVITIES, required=False,
        help_text="The workshop's activities in order (only while it is a draft). Its scenarios follow from them.")
    pacing = serializers.ChoiceField(choices=Pacing.values, default=Pacing.SELF,
                                     help_text="Presenter-paced: the facilitator moves the room from one activity to "
                                               "the next.")
    followup_days = serializers.IntegerField(min_value=1, max_value=90, default=7)
    capacity = serializers.IntegerField(min_value=1, max_value=10000, default=40)
    generic_share = serializers.FloatField(min_value=0, max_value=1, default=0.0,
                                           help_text="Share of participants who get the generic analogy.")
    language = serializers.ChoiceField(choices=SCENARIO_LANGUAGES, default=DEFAULT_LANGUAGE)
    engine = serializers.ChoiceField(choices=Workshop.Engine.values, default=Workshop.Engine.BUILTIN)
    instrument = serializers.ChoiceField(choices=InstrumentId.values, default=InstrumentId.MINI_IPIP)
    show_reflections = serializers.BooleanField(default=True)

    def validate_scenarios(self, keys: list[str]):
        if len(set(keys)) != len(keys):
            raise serializers.ValidationError(_("Each scenario can be chosen once."), code="duplicate")
        found = []
        for i, key in enumerate(keys):
            scenario = scenario_lineage(key).filter(is_current=True).first()
            if scenario is None:
                raise serializers.ValidationError({i: [serializers.ErrorDetail(
                    _("No scenario with this key."), code="does_not_exist")]})
            found.append(scenario)
        return found

    def validate_activities(self, rows: list[dict]) -> list[ActivityPlan]:
        plan = [ActivityPlan(row["kind"], row.get("scenario"), row.get("settings") or {}) for row in rows]
        try:
            plan_check(plan)
        except ActivityPlanError as refused:
            raise serializers.ValidationError(str(refused), code="invalid") from None
        return plan

    def validate(self, data: dict) -> dict:
        plan = data.get("activities")
        if plan is not None and "scenarios" in data and [s.id for s in data["scenarios"]] != [
                s.id for s in plan_scenarios(plan)]:
            raise serializers.ValidationError({"scenarios": [serializers.ErrorDetail(
                _("List the scenarios the activities are about, in the order they first appear, or leave this out."),
                code="invalid")]})
        return data

    def to_internal_value(self, data):
        # Without activities the scenarios are required: said together with any other field's error.
        missing = not self.partial and isinstance(data, dict) and "scenarios" not in data and "activities" not in data
        required = {"scenarios": [serializers.ErrorDetail(_("This field is required."), code="required")]}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if missing and isinstance(exc.detail, dict):
                exc.detail.update(required)
            raise
        if missing:
            raise serializers.ValidationError(required)
        return value


class WorkshopFilter(StrictFilterSet):
    state = filters.ChoiceFilter(choices=Workshop.State.choices)
    created_after = UtcDateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created", lookup_expr="lt")
    title = filters.CharFilter(field_name="title", lookup_expr="icontains", max_length=200)

    class Meta:
        model = Workshop
        fields = ["state", "created_after", "created_before", "title"]


@extend_schema_view(
    list=extend_schema(summary="Workshops, newest first"),
    retrieve=extend_schema(summary="One workshop"),
    create=extend_schema(summary="Create a draft workshop", request=WorkshopInputSerializer,
                         responses={201: WorkshopOutputSerializer}),
    update=extend_schema(summary="Change a workshop (all fields)", request=WorkshopInputSerializer),
    partial_update=extend_schema(summary="Change some of a workshop's fields", request=WorkshopInputSerializer),
    open=extend_schema(summary="Open for joining (or reopen a closed workshop)", request=None),
    close=extend_schema(summary="Close: no one else can join; debrief packets are made", request=None),
    rotate_join_link=extend_schema(summary="A new join link; the old one stops working", request=None),
)
class WorkshopViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = WorkshopOutputSerializer
    queryset = Workshop._base_manager.none()  # the model, for the schema; rows come from get_queryset()
    lookup_value_regex = r"[A-Za-z0-9_-]{1,64}"
    filterset_class = WorkshopFilter
    filter_backends = [filters.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["created", "title", "opened_at", "closed_at"]
    ordering = ["-created", "-pk"]
    conflict_actions = ("open", "close", "update", "partial_update", "rotate_join_link")
    roles = {"list": ALL_ROLES, "retrieve": ALL_ROLES, "create": STAFF_ROLES, "update": STAFF_ROLES,
             "partial_update": STAFF_ROLES, "open": STAFF_ROLES, "close": STAFF_ROLES, "rotate_join_link": STAFF_ROLES}

    def get_queryset(self):
        return (Workshop.objects.select_related("owner").annotate(participant_count=Count("participants"))
                .prefetch_related(Prefetch("workshop_scenarios",
                                           queryset=WorkshopScenario.objects.select_related("scenario")),
                                  Prefetch("activities", queryset=WorkshopActivity.objects.select_related("scenario")
                                           .order_by("position"))))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "membership": getattr(self.request, "membership", None)}

    def _out(self, workshop: Workshop, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=workshop.pk)).data, status=code)

    def create(self, request):
        data = WorkshopInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        plan = fields.pop("activities", None)
        if plan is not None:
            fields["scenarios"] = plan_scenarios(plan)
        workshop = workshop_create(organization_id=request.membership.organization_id, owner=request.user,
                                   activities=plan, **fields)
        return self._out(workshop, status.HTTP_201_CREATED)

    def update(self, request, id: str, partial: bool = False):
        workshop = self.get_object()
        data = WorkshopInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        plan = fields.pop("activities", None)
        try:
            if plan is not None and _plan_key(plan) != _plan_key_of(workshop):
                fields.pop("scenarios", None)  # they follow from the activities
                workshop = workshop_activities_set(workshop=workshop, plan=plan, actor=request.user)
            elif plan is not None:
                fields.pop("scenarios", None)
            workshop_update(workshop=workshop, actor=request.user, **fields)
        except (WorkshopStateError, ActivityPlanError) as exc:
            raise Conflict(str(exc), code="invalid_state") from None
        return self._out(workshop)

    def partial_update(self, request, id: str):
        return self.update(request, id, partial=True)

    @action(detail=True, methods=["post"])
    def open(self, request, id: str):
        try:
            workshop = workshop_open(workshop=self.get_object(), actor=request.user)
        except WorkshopStateError as exc:
            raise Conflict(str(exc), code="invalid_state") from None
        return self._out(workshop)

    @action(detail=True, methods=["post"])
    def close(self, request, id: str):
        try:
            workshop = workshop_close(workshop=self.get_object(), actor=request.user)
        except WorkshopStateError as exc:
            raise Conflict(str(exc), code="invalid_state") from None
        return self._out(workshop)

    @action(detail=True, methods=["post"], url_path="rotate-join-link")
    def rotate_join_link(self, request, id: str):
        try:
            workshop = workshop_join_token_rotate(workshop=self.get_object(), actor=request.user)
        except WorkshopStateError as exc:
            raise Conflict(str(exc), code="invalid_state") from None
        return self._out(workshop)


def _plan_key(plan: list[ActivityPlan]) -> list[tuple]:
    return [(item.kind, item.scenario.id if item.scenario else None, json.dumps(item.settings, sort_keys=True))
            for item in plan]


def _plan_key_of(workshop: Workshop) -> list[tuple]:
    return [(a.kind, a.scenario_id, json.dumps(a.settings, sort_keys=True)) for a in workshop.activities.all()]

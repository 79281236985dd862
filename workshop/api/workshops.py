"""Workshops: list, read, create, update, open, close, and rotate the join link.

Staff (admins, facilitators) run workshops, as in the console. Analysts may read a workshop's settings and
counts (report filters name workshops) but never its join link; participants are a staff-only resource.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from workshop.api.base import ApiViewSet
from workshop.api.errors import Conflict
from workshop.api.fields import StrictOrderingFilter, StrictSerializer, UtcDateTimeFilter
from workshop.api.scenarios import KEY_REGEX, scenario_key, scenario_lineage
from workshop.participants.instruments import InstrumentId
from workshop.scenarios.languages import DEFAULT_LANGUAGE, SCENARIO_LANGUAGES
from workshop.tenancy.access import ALL_ROLES, STAFF_ROLES
from workshop.workshops.models import Workshop, WorkshopScenario
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
    participants = serializers.IntegerField(source="participant_count", help_text="How many people joined.")
    join_url = serializers.SerializerMethodField(help_text="Staff only; null for analysts.")
    created = serializers.DateTimeField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_owner(self, obj: Workshop) -> str | None:
        return obj.owner.get_username() if obj.owner else None

    @extend_schema_field(WorkshopScenarioSerializer(many=True))
    def get_scenarios(self, obj: Workshop) -> list[dict]:
        return [{"position": ws.position, "key": scenario_key(ws.scenario), "version": ws.scenario.version,
                 "title": ws.scenario.title} for ws in obj.workshop_scenarios.all()]

    def get_join_url(self, obj: Workshop) -> str | None:
        membership = self.context.get("membership")
        if membership is None or membership.role not in STAFF_ROLES:
            return None
        return settings.SITE_URL + reverse("participants:join", args=[obj.join_token])


class WorkshopInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    scenarios = serializers.ListField(
        child=serializers.RegexField(f"^{KEY_REGEX}$", max_length=88), allow_empty=False, max_length=20,
        help_text="Scenario keys in the order they are shown: 'library:<slug>' or your own '<slug>'; the current "
                  "version of each is used.")
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


class WorkshopFilter(filters.FilterSet):
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
                                           queryset=WorkshopScenario.objects.select_related("scenario"))))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "membership": getattr(self.request, "membership", None)}

    def _out(self, workshop: Workshop, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=workshop.pk)).data, status=code)

    def create(self, request):
        data = WorkshopInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        workshop = workshop_create(organization_id=request.membership.organization_id, owner=request.user,
                                   **fields)
        return self._out(workshop, status.HTTP_201_CREATED)

    def update(self, request, id: str, partial: bool = False):
        workshop = self.get_object()
        data = WorkshopInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        try:
            workshop_update(workshop=workshop, actor=request.user, **fields)
        except WorkshopStateError as exc:
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

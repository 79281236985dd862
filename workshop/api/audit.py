"""The organization's audit log, for admins only (as in the console)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from workshop.api.base import ApiViewSet
from workshop.api.fields import StrictFilterSet, StrictOrderingFilter, UtcDateTimeFilter
from workshop.tenancy.access import ADMIN_ROLES
from workshop.tenancy.models import AuditEvent


class AuditEventOutputSerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.get_username", allow_null=True, default=None,
                                  help_text="Username; null for the system (or a participant deleting their data).")
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    detail = serializers.DictField()


class AuditEventFilter(StrictFilterSet):
    action = filters.CharFilter(max_length=60)
    actor = filters.CharFilter(field_name="actor__username", max_length=150)
    after = UtcDateTimeFilter(field_name="time", lookup_expr="gte")
    before = UtcDateTimeFilter(field_name="time", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "after", "before"]


@extend_schema_view(list=extend_schema(summary="Audit events, newest first"))
class AuditEventViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = AuditEventOutputSerializer
    queryset = AuditEvent._base_manager.none()  # the model, for the schema; rows come from get_queryset()
    filterset_class = AuditEventFilter
    filter_backends = [filters.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["time"]
    ordering = ["-time", "-pk"]
    roles = {"list": ADMIN_ROLES}

    def get_queryset(self):
        return AuditEvent.objects.select_related("actor")

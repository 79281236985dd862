"""Debrief packets: status, and the facilitator packet's PDF once it is made (every download is audit-logged).

As in the console: staff see the state of every packet of their organization, analysts only of facilitator
packets (the session's anonymous aggregates). A participant's packet is theirs alone: its download answers
403 ``private_packet`` to every token; the participant gets it from their own pages.
"""

from __future__ import annotations

import io

from django.db.models import Q
from django.http import FileResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from workshop.api.base import ApiViewSet
from workshop.api.errors import Conflict
from workshop.api.fields import StrictFilterSet, StrictOrderingFilter
from workshop.api.participants import PUBLIC_ID_REGEX
from workshop.api.schema import ErrorSerializer
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import (
    PacketNotReady,
    PacketPrivate,
    packet_download,
    packet_filename,
    packet_staff_downloadable,
)
from workshop.tenancy.access import ALL_ROLES, STAFF_ROLES


class PacketOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    kind = serializers.ChoiceField(choices=DebriefPacket.Kind.choices)
    state = serializers.ChoiceField(choices=DebriefPacket.State.choices)
    workshop = serializers.CharField(source="workshop.public_id")
    participant = serializers.CharField(source="participant.public_id", allow_null=True, default=None)
    created = serializers.DateTimeField()
    updated = serializers.DateTimeField()
    downloadable = serializers.SerializerMethodField(
        help_text="Whether /download/ gives the PDF: a facilitator packet that is done. A participant's packet "
                  "is never downloadable through the API.")

    def get_downloadable(self, packet: DebriefPacket) -> bool:
        return packet_staff_downloadable(packet)


class PacketFilter(StrictFilterSet):
    workshop = filters.CharFilter(field_name="workshop__public_id", max_length=64)
    kind = filters.ChoiceFilter(choices=DebriefPacket.Kind.choices)
    state = filters.ChoiceFilter(choices=DebriefPacket.State.choices)

    class Meta:
        model = DebriefPacket
        fields = ["workshop", "kind", "state"]


class PdfRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the body is the file itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@extend_schema_view(
    list=extend_schema(summary="Debrief packets and their state"),
    retrieve=extend_schema(summary="One packet's state"),
    download=extend_schema(summary="The facilitator packet's PDF (when its state is done)", responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF file"),
        403: OpenApiResponse(ErrorSerializer, description="A participant's packet (code private_packet): it is "
                                                          "theirs alone; or your role may not do this.")}),
)
class PacketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = PacketOutputSerializer
    queryset = DebriefPacket._base_manager.none()  # the model, for the schema; rows come from get_queryset()
    lookup_value_regex = PUBLIC_ID_REGEX
    filterset_class = PacketFilter
    filter_backends = [filters.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["created", "updated"]
    ordering = ["-created", "-pk"]
    conflict_actions = ("download",)
    roles = {"list": ALL_ROLES, "retrieve": ALL_ROLES, "download": ALL_ROLES}

    def get_queryset(self):
        packets = DebriefPacket.objects.select_related("workshop", "participant").filter(
            Q(participant__isnull=True) | Q(participant__deleted_at__isnull=True))
        if getattr(self, "swagger_fake_view", False):  # the schema generator describes, never reads
            return packets.none()
        if self.request.membership.role not in STAFF_ROLES:
            packets = packets.filter(kind=DebriefPacket.Kind.FACILITATOR)
        return packets

    def get_renderers(self):
        if getattr(self, "action", None) == "download":
            return [*super().get_renderers(), PdfRenderer()]
        return super().get_renderers()

    def finalize_response(self, request, response, *args, **kwargs):
        # A refused or failed download answers in JSON like every other error, whatever the client accepts.
        if isinstance(response, Response) and getattr(self, "action", None) == "download":
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @action(detail=True, methods=["get"])
    def download(self, request, id: str):
        packet = self.get_object()
        try:
            pdf = packet_download(packet=packet, actor=request.user, via="api")
        except PacketPrivate as exc:
            raise exceptions.PermissionDenied(str(exc), code=exc.code) from None
        except PacketNotReady as exc:
            raise Conflict(str(exc), code=exc.code) from None
        return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=packet_filename(packet),
                            content_type="application/pdf")

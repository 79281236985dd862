"""Who the request acts as: the quickest way to check that a token works."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from workshop.api.base import NO_TABLE, ApiViewSet
from workshop.tenancy.access import ALL_ROLES


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    organization = serializers.CharField(help_text="The organization's slug.")
    role = serializers.ChoiceField(choices=ALL_ROLES)
    token = serializers.CharField(allow_null=True, help_text="The token's name; null with a browser session.")


class MeViewSet(ApiViewSet):
    roles = {"list": ALL_ROLES}
    serializer_class = MeOutputSerializer
    pagination_class = None
    single_object = True  # one object on the list route (for the schema)

    def get_queryset(self):
        return NO_TABLE

    @extend_schema(summary="The member and organization this token acts for", responses={200: MeOutputSerializer})
    def list(self, request):
        membership = request.membership
        token = request.auth if hasattr(request.auth, "key_hash") else None
        return Response(MeOutputSerializer({
            "username": request.user.get_username(), "organization": membership.organization.slug,
            "role": membership.role, "token": token.name if token else None}).data)

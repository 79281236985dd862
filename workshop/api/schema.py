"""OpenAPI: every operation documents the error responses it can give, in the one error shape, and every
request body says it takes no other fields (the API refuses unknown fields)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from workshop.tenancy.scope import organization_scope


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The field at fault (dotted for nested), or null.")
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


ERRORS = {
    "400": "The input is not valid; each error names its field.",
    "401": "No token, an unknown or revoked token, or its owner left the organization.",
    "403": "Your role may not do this.",
    "404": "Not found (in your organization).",
    "429": "Too many requests for this token; see Retry-After.",
}
WRITE_ERRORS = {"409": "The object's state does not allow this."}


class ApiAutoSchema(AutoSchema):
    def _is_list_view(self, serializer=None) -> bool:
        # /me/ and /reports/ sit on a router's list route but answer one object.
        if getattr(self.view, "single_object", False):
            return False
        return super()._is_list_view(serializer)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERRORS)
        if self.method != "GET" or getattr(self.view, "action", "") in self.view_conflict_actions():
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = description
        return responses

    def view_conflict_actions(self) -> tuple[str, ...]:
        return tuple(getattr(self.view, "conflict_actions", ()))


def closed_request_bodies(result, generator, request, public):
    """Postprocessing hook: request components forbid properties they do not list (we refuse them)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "workshop.api.authentication.ApiTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A personal API token from the console (Settings → API tokens)."}


class ScopedSchemaGenerator(SchemaGenerator):
    """Builds the schema inside a scope that matches nothing. The generator only describes (django-filter's
    extension asks a manager for ``.none()``), yet `manage.py spectacular` and the deploy check run it with no
    request, hence no scope, and a scoped manager rightly refuses that."""

    def get_schema(self, request=None, public=False):
        with organization_scope(None):
            return super().get_schema(request=request, public=public)

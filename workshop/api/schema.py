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
        # Before the site sees it: gunicorn refuses a request line over 4094 bytes with a page of its own.
        responses.setdefault("414", {"description": "The request line is longer than the server takes (4094 bytes).",
                                     "content": {"text/html": {"schema": {"type": "string"}}}})
        return responses

    def view_conflict_actions(self) -> tuple[str, ...]:
        return tuple(getattr(self.view, "conflict_actions", ()))

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        # A text filter's max_length (django-filter passes it to its form field) is in the schema too.
        filterset = getattr(self.view, "filterset_class", None)
        for parameter in parameters:
            filter_ = filterset.base_filters.get(parameter["name"]) if filterset else None
            max_length = filter_.extra.get("max_length") if filter_ is not None else None
            if max_length and parameter.get("schema", {}).get("type") == "string":
                parameter["schema"]["maxLength"] = max_length
        return parameters

    def _insert_field_validators(self, field, schema) -> None:
        super()._insert_field_validators(field, schema)
        # A list (``ListField(allow_empty=False)``, ``Serializer(many=True, allow_empty=False, max_length=8)``)
        # states its bounds: without them a client reading the schema sends an empty list and gets a 400.
        if isinstance(field, serializers.ListSerializer | serializers.ListField) and schema.get("type") == "array":
            if field.min_length is not None:
                schema["minItems"] = field.min_length
            elif not field.allow_empty:
                schema["minItems"] = 1
            if field.max_length is not None:
                schema["maxItems"] = field.max_length

    def _map_basic_serializer(self, serializer, direction):
        component = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            # A text field trims what it is sent, so a value of spaces alone is blank: it must hold something else.
            for name, field in serializer.fields.items():
                schema = component.get("properties", {}).get(name, {})
                if (type(field) is serializers.CharField and field.trim_whitespace and not field.allow_blank
                        and not field.read_only and schema.get("type") == "string" and "pattern" not in schema):
                    schema["pattern"] = r"\S"
        # ``required_any_of = (("a",), ("b",))`` on a serializer: a full request body must carry one of them.
        any_of = getattr(serializer, "required_any_of", ())
        if any_of and direction == "request" and not getattr(serializer, "partial", False):
            # Each branch repeats its fields' schemas: a generator that merges a branch with the closed object
            # (additionalProperties: false) then still knows the fields it requires.
            properties = component.get("properties", {})
            component["anyOf"] = [{"required": list(fields), "properties": {f: properties[f] for f in fields}}
                                  for fields in any_of]
        return component


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

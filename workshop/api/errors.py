"""One error shape for every refusal: ``{"errors": [{"field": str | None, "code": str, "message": str}]}``.

A field error names the field (nested fields with dots: ``perspective.name``, ``emotions.0.label``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


def _flatten(detail, field: str | None = None) -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in NON_FIELD_KEYS else (f"{field}.{key}" if field else str(key))
            out.extend(_flatten(value, name if key not in NON_FIELD_KEYS else field))
        return out
    if isinstance(detail, list):
        out = []
        for i, value in enumerate(detail):
            # A list of messages for one field, or a list of nested objects (one per item).
            out.extend(_flatten(value, f"{field}.{i}" if isinstance(value, dict | list) and field else field))
        return out
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "code": str(code), "message": str(detail)}]


def error_body(errors: list[dict]) -> dict:
    return {"errors": errors}


def error_response(*, code: str, message: str, status_code: int, field: str | None = None) -> Response:
    return Response(error_body([{"field": field, "code": code, "message": message}]), status=status_code)


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (and its logging) takes it
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        errors = _flatten(detail) if isinstance(detail, dict | list) else [
            {"field": None, "code": getattr(detail, "code", None) or exc.default_code, "message": str(detail)}]
    response.data = error_body(errors or [{"field": None, "code": "invalid", "message": "Invalid request."}])
    return response


class Conflict(exceptions.APIException):
    """The request is well formed but the object is not in a state that allows it (e.g. closing a draft)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object is not in a state that allows this."
    default_code = "conflict"

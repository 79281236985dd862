"""Serializer pieces shared by the resources."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (a typo is an error, not silently ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in self.fields or self.fields[k].read_only)
            if unknown:
                raise serializers.ValidationError(
                    {name[:80]: [serializers.ErrorDetail(_("Unknown field."), code="unknown_field")]
                     for name in unknown[:20]})
        return super().to_internal_value(data)


def pydantic_errors(exc, *, prefix: str = "") -> dict:
    """A pydantic ValidationError as DRF field errors, the field path dotted (``emotions.0.label``)."""
    errors: dict[str, list] = {}
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "non_field_errors"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        errors.setdefault(prefix + field, []).append(serializers.ErrorDetail(message, code="invalid"))
    return errors

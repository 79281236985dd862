"""Serializer pieces shared by the resources."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictFilterSet(filters.FilterSet):
    """A filter set that refuses a present but empty value where the schema allows none: a choice (``?state=``)
    or a date-time (``?after=``). django-filter would drop the filter and answer everything, as if the client had
    asked for nothing; the client named a value the schema does not allow, so it gets a 400 naming it. An empty
    free-text filter stays allowed (the schema allows an empty string there)."""

    STRICT_FILTERS = (filters.ChoiceFilter, filters.MultipleChoiceFilter, filters.IsoDateTimeFilter,
                      filters.DateTimeFilter, filters.DateFilter)

    def filter_queryset(self, queryset):
        empty = sorted(name for name, f in self.filters.items()
                       if isinstance(f, self.STRICT_FILTERS) and name in self.data and self.data.get(name) == "")
        if empty:
            raise ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in empty})
        return super().filter_queryset(queryset)


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


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter that compares in UTC. Python accepts offsets up to ±23:59 and years 1 to
    9999 that PostgreSQL refuses; such a value is a 400 naming the parameter, not a database error."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                raise ValidationError({self._param_name(): [
                    _("This date and time is out of range.")]}) from None
        return super().filter(qs, value)

    def _param_name(self) -> str:
        filters_by_name = self.parent.filters.items() if self.parent is not None else ()
        return next((name for name, f in filters_by_name if f is self), self.field_name)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=title,-created`` with the view's ``ordering_fields``; an unknown field is a 400 naming
    ``ordering`` (DRF would silently ignore it), and the schema lists the accepted values."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is not None:  # an empty ?ordering= names no field either
            terms = [term.strip() for term in params.split(",") if term.strip()]
            allowed = self._allowed(view)
            unknown = [t for t in terms if t not in allowed]
            if unknown or not terms:
                raise ValidationError({self.ordering_param: [serializers.ErrorDetail(
                    _("Order by one of: %(fields)s.") % {"fields": ", ".join(sorted(allowed))}, code="invalid")]})
            return terms
        return self.get_default_ordering(view)

    @staticmethod
    def _allowed(view) -> set[str]:
        fields = getattr(view, "ordering_fields", ())
        return {f for field in fields for f in (field, f"-{field}")}

    def get_schema_operation_parameters(self, view):
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": "Sort by this field; a leading '-' sorts descending.",
            "schema": {"type": "string", "enum": sorted(self._allowed(view))},
        }]

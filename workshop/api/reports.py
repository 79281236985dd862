"""Aggregates: the organization report (the same figures, filters and k rule as the report page).

Admins and analysts, as in the console. Nothing below the organization's k is in the body in any form.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from workshop.api.base import NO_TABLE, ApiViewSet
from workshop.reports.activities import activities_as_dict, activities_report
from workshop.reports.filters import MAX_TEXT, report_filters_parse
from workshop.reports.report import report_as_dict
from workshop.reports.selectors import report_build
from workshop.tenancy.access import REPORT_ROLES

# The years report_filters_parse accepts (EARLIEST_DAY to LATEST_DAY), said in the schema too.
DAY_PATTERN = r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"
FILTERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, pattern=DAY_PATTERN,
                     description="First day people joined (YYYY-MM-DD, 1900 to 2999)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, pattern=DAY_PATTERN,
                     description="Last day people joined, included"),
    *(OpenApiParameter(name, {"type": "string", "maxLength": MAX_TEXT}, description=description)
      for name, description in (("scenario", "A scenario's slug (every version of it)"),
                                ("theme", "A theme of the scenarios"),
                                ("facilitator", "The username of the workshops' owner"),
                                ("workshop", "A workshop's id"))),
]


class ReportViewSet(ApiViewSet):
    roles = {"list": REPORT_ROLES}
    serializer_class = serializers.Serializer  # the body is report_as_dict's, described below
    pagination_class = None
    single_object = True  # one object on the list route (for the schema)

    def get_queryset(self):
        return NO_TABLE

    @extend_schema(summary="The organization report (aggregates only, k-anonymous)", parameters=FILTERS,
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                       "The report: counts, the completion funnel, identification and understanding before and "
                       "after, gains by condition with Hedges' g and its 95% interval, resonance by source, "
                       "theme and domain family, monthly trends; `activities`: transfer to a new vignette at the "
                       "follow-up check-in, commitments tried, the listening lab's skill levels and what asking adds. "
                       "`generated` says when it was computed; `stale` is "
                       "true when a recent build is served while a worker computes the newer one. Every figure is "
                       "{value, n, suppressed}; a figure covering fewer than k people has value and n null and "
                       "says why."))})
    def list(self, request):
        organization = request.membership.organization
        for name in ("date_from", "date_to"):  # the console's form sends empty fields; an API client names a day
            if request.query_params.get(name) == "":
                raise exceptions.ValidationError({name: [_("Enter a date as YYYY-MM-DD, for example 2026-03-31.")]})
        filters, errors = report_filters_parse(data=request.query_params, organization=organization)
        if errors:
            raise exceptions.ValidationError({field: [message] for field, message in errors.items()})
        body = report_as_dict(report_build(organization=organization, filters=filters, allow_stale=True))
        body["activities"] = activities_as_dict(activities_report(organization=organization, filters=filters))
        return Response(body)

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _positive(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and int(raw) >= 1


class Pagination(PageNumberPagination):
    """``?page=2&page_size=100``; at most MAX_PAGE_SIZE rows a page (a larger page_size gives that many). A page
    or page_size that is not a whole number from 1 up is a 400, as the schema says, not silently the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        for raw in request.query_params.getlist(self.page_size_query_param):
            if not _positive(raw):
                raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1 up.")]})
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        for raw in request.query_params.getlist(self.page_query_param):
            if not _positive(raw):
                raise ValidationError({self.page_query_param: [_("Give a whole number from 1 up.")]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
        return parameters

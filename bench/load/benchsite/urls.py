from django.http import HttpRequest, JsonResponse
from django.urls import path

from workshop.urls import urlpatterns as site_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    """As small as a Django view gets, shaped like the status poll's answer, behind the same middleware."""
    return JsonResponse({"state": "done", "label": "ok"}, headers={"Cache-Control": "no-store"})


urlpatterns = [path("bench/bare", bare, name="bench_bare"), *site_urlpatterns]

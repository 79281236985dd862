"""/api/v1/ (the router: its route table is what the isolation tests walk), /api/schema/ and /api/docs/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from workshop.api.audit import AuditEventViewSet
from workshop.api.me import MeViewSet
from workshop.api.packets import PacketViewSet
from workshop.api.participants import AnalogyViewSet, ParticipantViewSet
from workshop.api.reports import ReportViewSet
from workshop.api.scenarios import ScenarioViewSet
from workshop.api.workshops import WorkshopViewSet


class Router(DefaultRouter):
    include_root_view = False  # the schema at /api/schema/ and the docs describe the API


router = Router()
router.register("me", MeViewSet, basename="me")
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("workshops", WorkshopViewSet, basename="workshop")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("analogies", AnalogyViewSet, basename="analogy")
router.register("reports", ReportViewSet, basename="report")
router.register("packets", PacketViewSet, basename="packet")
router.register("audit-events", AuditEventViewSet, basename="audit-event")


@csrf_exempt  # it changes nothing; without this a POST would get Django's HTML CSRF page instead of JSON
def not_found(request, rest=""):
    """Anything else under /api/ is a 404 in the API's error shape, not an HTML page."""
    return JsonResponse({"errors": [{"field": None, "code": "not_found", "message": "Not found."}]}, status=404)


app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found, name="not_found"),  # any character, a newline too
]

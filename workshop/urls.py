from django.urls import include, path

from workshop.health import healthz

# The UI apps are included by name: nothing in workshop/ imports them (tests/test_layers.py).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("facilitator.site_urls")),
    path("f/", include("facilitator.urls")),
    path("api/", include("workshop.api.urls")),
    path("", include("participants.urls")),
]

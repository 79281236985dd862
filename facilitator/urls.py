from django.urls import path

from facilitator import members, organization, views

app_name = "facilitator"
urlpatterns = [
    path("", views.home, name="home"),
    path("workshops/new/", views.workshop_new, name="workshop_new"),
    path("workshops/<str:public_id>/", views.workshop_detail, name="workshop"),
    path("workshops/<str:public_id>/projector/", views.workshop_projector, name="projector"),
    path("workshops/<str:public_id>/<str:action>/", views.workshop_state, name="workshop_state"),
    path("packets/<str:public_id>/download/", views.packet_download, name="packet_download"),
    path("scenarios/", views.scenario_library, name="scenarios"),
    path("scenarios/export/", views.scenario_export_view, name="scenarios_export"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("members/", members.members, name="members"),
    path("settings/", organization.organization_settings, name="organization"),
]

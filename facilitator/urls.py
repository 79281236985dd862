from django.urls import path

from facilitator import api_tokens, audit, checkin, members, monitor, organization, reports, room, scenarios, views
from facilitator.learning import loop_change, loop_page

app_name = "facilitator"
urlpatterns = [
    path("", views.home, name="home"),
    path("workshops/new/", views.workshop_new, name="workshop_new"),
    path("workshops/<str:public_id>/", views.workshop_detail, name="workshop"),
    path("workshops/<str:public_id>/projector/", room.projector, name="projector"),
    path("workshops/<str:public_id>/projector/mode/", room.projector_mode, name="projector_mode"),
    path("workshops/<str:public_id>/room/move/", room.room_move, name="room_move"),
    path("workshops/<str:public_id>/monitor/", monitor.monitor, name="monitor"),
    path("workshops/<str:public_id>/monitor/live/", monitor.monitor_live, name="monitor_live"),
    path("workshops/<str:public_id>/monitor/retry/", monitor.monitor_retry, name="monitor_retry"),
    path("workshops/<str:public_id>/wall/", monitor.wall_update, name="wall"),
    path("workshops/<str:public_id>/checkin/", checkin.checkin_update, name="checkin"),
    path("workshops/<str:public_id>/<str:action>/", views.workshop_state, name="workshop_state"),
    path("packets/<str:public_id>/download/", views.packet_download, name="packet_download"),
    path("scenarios/", scenarios.scenario_library, name="scenarios"),
    path("scenarios/new/", scenarios.scenario_new, name="scenario_new"),
    path("scenarios/export/", scenarios.scenario_export_view, name="scenarios_export"),
    path("scenarios/<int:pk>/", scenarios.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/edit/", scenarios.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/duplicate/", scenarios.scenario_copy, name="scenario_duplicate"),
    path("members/", members.members, name="members"),
    path("members/<int:membership_id>/role/", members.member_role, name="member_role"),
    path("members/<int:membership_id>/remove/", members.member_remove, name="member_remove"),
    path("members/invitations/<int:invitation_id>/revoke/", members.invitation_revoke_view, name="invitation_revoke"),
    path("audit/", audit.audit_log, name="audit"),
    path("settings/", organization.organization_settings, name="organization"),
    path("settings/learning/", loop_page, name="learning"),
    path("settings/learning/change/", loop_change, name="learning_change"),
    path("reports/", reports.report_page, name="reports"),
    path("reports/report.csv", reports.report_csv, name="reports_csv"),
    path("reports/report.json", reports.report_json, name="reports_json"),
    path("reports/participants.csv", reports.report_people, name="reports_people"),
    path("reports/report.pdf", reports.report_pdf, name="reports_pdf"),
    path("api-tokens/", api_tokens.api_tokens, name="api_tokens"),
]

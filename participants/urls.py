from django.urls import path, re_path

from participants import activity_views, checkin_views, go, profile_views, scenario_views, views

app_name = "participants"
urlpatterns = [
    path("j/<str:join_token>/", views.join, name="join"),
    re_path(r"^go/?$", go.go, name="go"),
    re_path(r"^go/(?P<code>[^/]+)/?$", go.go, name="go_code"),
    path("r/<str:participant_token>/", views.resume, name="resume"),
    path("p/", views.home, name="home"),
    path("p/profile/", profile_views.profile, name="profile"),
    path("p/profile/personality/<int:page>/", profile_views.personality, name="profile_personality"),
    path("p/profile/values/", profile_views.values_page, name="profile_values"),
    path("p/profile/life/", profile_views.life, name="profile_life"),
    path("p/profile/memories/", profile_views.memories, name="profile_memories"),
    path("p/s/<int:position>/", scenario_views.scenario, name="scenario"),
    path("p/s/<int:position>/after/", scenario_views.after, name="after"),
    path("p/s/<int:position>/status", views.analogy_status, name="analogy_status"),
    path("p/s/<int:position>/retry", views.analogy_retry_view, name="analogy_retry"),
    path("p/s/<int:position>/another", views.analogy_another, name="analogy_another"),
    path("p/a/<int:position>/", activity_views.activity, name="activity"),
    path("p/waiting/", activity_views.waiting, name="waiting"),
    path("p/next", activity_views.next_place, name="next"),
    path("p/done/", views.done, name="done"),
    path("p/checkin/", checkin_views.checkin, name="checkin"),
    path("p/delete/", views.delete_data, name="delete"),
    path("p/packet/", views.packet, name="packet"),
    path("p/packet/<str:public_id>/download", views.packet_download, name="packet_download"),
]

from django.urls import path

from participants import views

app_name = "participants"
urlpatterns = [
    path("j/<str:join_token>/", views.join, name="join"),
    path("r/<str:participant_token>/", views.resume, name="resume"),
    path("p/", views.home, name="home"),
    path("p/profile/", views.profile, name="profile"),
    path("p/s/<int:position>/", views.scenario, name="scenario"),
    path("p/s/<int:position>/status", views.analogy_status, name="analogy_status"),
    path("p/s/<int:position>/retry", views.analogy_retry_view, name="analogy_retry"),
    path("p/s/<int:position>/another", views.analogy_another, name="analogy_another"),
    path("p/packet/", views.packet, name="packet"),
    path("p/packet/<str:public_id>/download", views.packet_download, name="packet_download"),
]

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "workshop.api"
    label = "api"

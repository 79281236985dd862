from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "workshop.scenarios"
    label = "scenarios"

from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshop.workshops"
    label = "workshops"

from django.apps import AppConfig


class DebriefConfig(AppConfig):
    name = "workshop.debrief"
    label = "debrief"

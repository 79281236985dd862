from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "workshop.reports"
    label = "reports"

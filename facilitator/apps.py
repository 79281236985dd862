from django.apps import AppConfig


class FacilitatorConfig(AppConfig):
    name = "facilitator"

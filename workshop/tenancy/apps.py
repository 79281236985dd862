from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "workshop.tenancy"
    label = "tenancy"

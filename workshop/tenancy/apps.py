from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save


class TenancyConfig(AppConfig):
    name = "workshop.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from workshop.tenancy.usernames import normalize_on_save

        pre_save.connect(normalize_on_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="normalize_username")

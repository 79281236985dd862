from django.core.management.base import BaseCommand

from workshop.scenarios.services import library_load
from workshop.tenancy.scope import unscoped


class Command(BaseCommand):
    help = "Load (or update) the built-in scenario library. Safe to run again."

    def handle(self, *args, **options):
        with unscoped():  # the built-in library belongs to no organization
            result = library_load()
        self.stdout.write(f"{result['scenarios']} scenarios from {result['files']} files, "
                          f"{result['new_versions']} new versions.")

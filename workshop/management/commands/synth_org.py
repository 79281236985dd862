"""python manage.py synth_org --slug big --participants 100000 --workshops 2000 --responses 200000 [--seed N]"""

import time

from django.core.management.base import BaseCommand, CommandError

from workshop.reports.synthetic import SyntheticRefused, SyntheticSpec, synthetic_organization_create


class Command(BaseCommand):
    help = ("Create (or replace) a synthetic organization with members, workshops over 18 months, participants "
            "in both conditions, analogies and answers: for demos and the report benchmark. An organization with "
            "the same slug that this command did not make is left alone.")

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--participants", type=int, default=1000)
        parser.add_argument("--workshops", type=int, default=20)
        parser.add_argument("--responses", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default="", help="Password for the members (default: unusable).")

    def handle(self, *args, slug, participants, workshops, responses, seed, password, **options):
        if participants < 0 or workshops < 1 or responses < 0:
            raise CommandError("--participants and --responses must be 0 or more, --workshops at least 1.")
        if responses > participants * 3:
            raise CommandError("Each workshop has three scenarios: --responses can be at most 3 x --participants.")
        started = time.monotonic()
        spec = SyntheticSpec(slug=slug, participants=participants, workshops=workshops, responses=responses,
                             seed=seed, password=password)
        try:
            org = synthetic_organization_create(spec=spec, log=lambda line: self.stdout.write(line))
        except SyntheticRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"synthetic organization {org.slug} ready in {time.monotonic() - started:.0f} s"))

"""python manage.py analogize --scenario S.json --profile P.json [--engine builtin|openai] [--generic]

A scenario file of the library's kind, with its other language in a block (``ko:``, or ``language: ko`` and
``en:``), is given to the engine in the profile's language, as a workshop gives it to a participant."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from typing import Any

from django.core.management.base import BaseCommand

from workshop.engine import EngineInputError, cli
from workshop.scenarios.languages import DEFAULT_LANGUAGE, SCENARIO_LANGUAGES


def _in_profile_language(scenario_path: str, profile_path: str) -> tuple[str | None, str]:
    """(a JSON file holding the engine's spec in the profile's language, "") for a file with language blocks;
    (None, "") for any other file (the engine reads it as it is); (None, error) for a bad language block."""
    from workshop.scenarios.services import ScenarioFileError, scenario_content_parse

    try:
        data = cli.load_file(scenario_path, "scenario")
        language = cli.load_file(profile_path, "profile").get("language")
    except EngineInputError:
        return None, ""  # the engine reports it, with its own wording
    if not any(code in data for code in SCENARIO_LANGUAGES):
        return None, ""
    try:
        # A profile that names no language reads English, as the engine's ProfileSpec has it.
        spec = scenario_content_parse(data).spec_in(language if isinstance(language, str) and language
                                                    else DEFAULT_LANGUAGE)
    except ScenarioFileError as exc:
        return None, f"error: {exc}\n"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as out:
        json.dump(spec.model_dump(mode="json"), out, ensure_ascii=False)
    return out.name, ""


class Command(BaseCommand):
    help = "Print one analogy (JSON) for a scenario file and a profile file; bad input exits 2."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        localized, problem = _in_profile_language(options["scenario"], options["profile"])
        if problem:
            self.stderr.write(problem, ending="")
            sys.exit(2)
        try:
            code, out, err = cli.execute(localized or options["scenario"], options["profile"],
                                         engine=options["engine"], generic=options["generic"])
        finally:
            if localized:
                os.unlink(localized)
        if out:
            self.stdout.write(out, ending="")
        if err:
            self.stderr.write(err, ending="")
        if code:
            sys.exit(code)

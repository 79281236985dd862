"""Scenario library: loading the built-in files, importing and exporting organization scenarios."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml
from django.db import transaction
from pydantic import ValidationError

from workshop.engine import EngineInputError, ScenarioSpec, analyze_scenario
from workshop.engine.models import describe_validation_error
from workshop.scenarios.controls import control_character_problem, controls_park
from workshop.scenarios.models import Scenario
from workshop.scenarios.themes import themes_normalize
from workshop.tenancy.models import Organization

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_SCENARIOS = 200


class ScenarioFileError(ValueError):
    """A scenario file that cannot be imported. The message names the field and the problem."""


class ScenarioStructureError(ValueError):
    """The engine can infer no emotional structure from the scenario; the message says what to add.

    ``field`` is the scenario field the message is about (the themes, unless the engine names another)."""

    def __init__(self, message: str, field: str = "themes"):
        super().__init__(message)
        self.field = field


# Fields added to ScenarioSpec after scenarios were first stored, with their defaults: left out of the content
# hash while at their default, so a new field never makes a new version of a scenario that did not change.
_LATER_DEFAULTS = {("language",): "en", ("perspective", "pronouns"): ""}


def _content_hash(spec: ScenarioSpec) -> str:
    data = spec.model_dump(mode="json")
    for path, default in _LATER_DEFAULTS.items():
        *parents, name = path
        holder = data
        for parent in parents:
            holder = holder[parent]
        if holder.get(name) == default:
            del holder[name]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _structure_error(exc: EngineInputError) -> ScenarioStructureError:
    """The engine's "scenario.field: problem" as the problem and the field it names (the themes otherwise)."""
    match = re.fullmatch(r"scenario(?:\.(\w+)[^:]*)?:\s*(.+)", str(exc), re.DOTALL)
    if match is None:
        return ScenarioStructureError(str(exc))
    field = match.group(1) if match.group(1) in ScenarioSpec.model_fields else "themes"
    return ScenarioStructureError(match.group(2), field=field)


def scenario_spec_finish(spec: ScenarioSpec) -> ScenarioSpec:
    """The last check of every way in (form, file, API): the themes as stored (a word naming a known theme
    becomes its id), and the engine's analysis, which refuses a scenario it can infer nothing from."""
    spec = spec.model_copy(update={"themes": themes_normalize(spec.themes)})
    try:
        analyze_scenario(spec)
    except EngineInputError as exc:
        raise _structure_error(exc) from None
    return spec


def scenario_spec_parse(data: object, *, where: str = "scenario", parked: bool = False) -> ScenarioSpec:
    """One scenario of a file. ``parked``: the file's text went through controls_park."""
    if not isinstance(data, dict):
        raise ScenarioFileError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
    if problem := control_character_problem(data, where, parked=parked):
        raise ScenarioFileError(problem)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioFileError(describe_validation_error(exc, where, limit=5)) from None
    try:
        return scenario_spec_finish(spec)
    except ScenarioStructureError as exc:
        raise ScenarioFileError(f"{where}.{exc.field}: {exc}") from None


def scenario_file_parse(raw: bytes, *, filename: str = "") -> list[ScenarioSpec]:
    """Parse a JSON or YAML scenario file (one scenario, a list, or {"scenarios": [...]})."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ScenarioFileError(f"file: larger than {MAX_IMPORT_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioFileError("file: not UTF-8 text") from None
    text, control_at = controls_park(text)
    try:
        if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        if control_at:  # outside any field: say where it is
            raise ScenarioFileError(f"file: contains a control character {control_at}; remove it") from None
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioFileError(f"file: not valid JSON or YAML ({first_line})") from None
    except RecursionError:  # both parsers recurse per nesting level; a scenario is a few levels deep
        raise ScenarioFileError("file: nested too deeply to be a scenario file") from None
    if isinstance(data, dict) and "scenarios" in data:
        data = data["scenarios"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ScenarioFileError("file: contains no scenario")
    if len(items) > MAX_IMPORT_SCENARIOS:
        raise ScenarioFileError(f"file: more than {MAX_IMPORT_SCENARIOS} scenarios")
    prefix = "scenarios[{}]" if len(items) > 1 else "scenario"
    specs = [scenario_spec_parse(item, where=prefix.format(i), parked=bool(control_at))
             for i, item in enumerate(items)]
    slugs = [s.slug for s in specs]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ScenarioFileError(f"slug: {duplicates[0]!r} appears more than once in the file")
    return specs


def _save_version(*, organization: Organization | None, spec: ScenarioSpec) -> tuple[Scenario, bool]:
    """Store spec as the next version of its slug unless the current version already has this content."""
    digest = _content_hash(spec)
    current = (
        Scenario.objects.select_for_update()
        .filter(organization=organization, slug=spec.slug, is_current=True)
        .first()
    )
    if current and current.content_hash == digest:
        return current, False
    version = 1
    if current:
        version = current.version + 1
        Scenario.objects.filter(pk=current.pk).update(is_current=False)
    scenario = Scenario.objects.create(
        organization=organization, slug=spec.slug, version=version, is_current=True, title=spec.title,
        narrative=spec.narrative, perspective_name=spec.perspective.name, perspective_role=spec.perspective.role,
        perspective_pronouns=spec.perspective.pronouns,
        emotions=[e.model_dump() for e in spec.emotions], themes=list(spec.themes),
        discussion_prompts=list(spec.discussion_prompts), content_hash=digest,
    )
    return scenario, True


def library_load(*, directory: Path = LIBRARY_DIR) -> dict[str, int]:
    """Load the built-in scenario files. Safe to run again: unchanged files add nothing."""
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml"), *directory.glob("*.json")])
    specs = []
    for path in files:
        specs.extend(scenario_file_parse(path.read_bytes(), filename=path.name))
    created = 0
    with transaction.atomic():
        for spec in specs:
            _, was_created = _save_version(organization=None, spec=spec)
            created += was_created
    return {"files": len(files), "scenarios": len(specs), "new_versions": created}


def scenario_import(*, organization: Organization, raw: bytes, filename: str = "") -> list[Scenario]:
    """All or nothing: every scenario in the file is valid and stored, or none is."""
    specs = scenario_file_parse(raw, filename=filename)
    with transaction.atomic():
        return [_save_version(organization=organization, spec=spec)[0] for spec in specs]


def scenario_export(*, scenarios: list[Scenario], fmt: str = "yaml") -> str:
    data = [s.to_spec_dict() for s in scenarios]
    if fmt == "json":
        return json.dumps({"scenarios": data}, ensure_ascii=False, indent=2)
    return yaml.safe_dump({"scenarios": data}, allow_unicode=True, sort_keys=False, width=100)

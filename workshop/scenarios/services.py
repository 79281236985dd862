"""Scenario library: loading the built-in files, importing and exporting organization scenarios, in every
language they are written in."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop.engine import EngineInputError, ScenarioSpec, analyze_scenario
from workshop.engine.models import describe_validation_error
from workshop.scenarios.controls import control_character_problem, controls_park
from workshop.scenarios.languages import (
    ACTIVITY_TEXT_FIELDS,
    BLOCK_KEYS,
    DEFAULT_LANGUAGE,
    PERSPECTIVE_KEYS,
    SCENARIO_LANGUAGES,
    ScenarioText,
    known_themes_everywhere,
    language_supported,
    spec_data,
    texts_in,
    translation_flat,
)
from workshop.scenarios.models import Scenario
from workshop.scenarios.themes import themes_normalize
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Organization
from workshop.tenancy.services import audit_record

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_SCENARIOS = 200


class ScenarioFileError(ValueError):
    """A scenario file that cannot be imported. The message names the field and the problem."""


class ScenarioStructureError(ValueError):
    """The engine can infer no emotional structure from the scenario; the message says what to add.

    ``field`` is the scenario field the message is about (the themes, unless the engine names another);
    ``language`` is the translation it is about, or "" for the scenario's own text."""

    def __init__(self, message: str, field: str = "themes", language: str = ""):
        super().__init__(message)
        self.field = field
        self.language = language


class ActivityTexts(BaseModel):
    """The texts a scenario carries for activities, in one language (languages.py): what the person said when
    asked, and the seat of someone who was there. Both optional; the engine never reads them."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    when_asked: str = Field(default="", max_length=2000)
    witness: str = Field(default="", max_length=500)

    def stored(self) -> dict[str, str]:
        return {key: value for key, value in self.model_dump().items() if value}


@dataclass(frozen=True)
class ScenarioContent:
    """One scenario as it is about to be stored: its own text in its primary language (``spec.language``)
    and its translations (stored fields per language; languages.py). Built by scenario_content_finish.
    ``activity_texts``: the primary language's ActivityTexts, the empty ones left out."""

    spec: ScenarioSpec
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    activity_texts: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.spec.slug

    def localized(self, language: str | None) -> ScenarioText:
        primary = {**_spec_texts(self.spec), **{key: self.activity_texts.get(key, "") for key in ACTIVITY_TEXT_FIELDS}}
        return texts_in(primary=primary, primary_language=self.spec.language, translations=self.translations,
                        language=language)

    def spec_in(self, language: str | None) -> ScenarioSpec:
        """The engine's spec in ``language``, as Scenario.to_spec_dict(language) builds it once stored."""
        code = language_supported(language) or self.spec.language
        known = known_themes_everywhere(primary_themes=list(self.spec.themes), translations=self.translations)
        return ScenarioSpec.model_validate(spec_data(
            slug=self.spec.slug, emotions=[e.model_dump() for e in self.spec.emotions],
            text=self.localized(code), language=code, known_themes=known))


def _spec_texts(spec: ScenarioSpec) -> dict[str, Any]:
    return {"title": spec.title, "narrative": spec.narrative, "perspective_name": spec.perspective.name,
            "perspective_role": spec.perspective.role, "perspective_pronouns": spec.perspective.pronouns,
            "discussion_prompts": list(spec.discussion_prompts), "themes": list(spec.themes)}


# Fields added to ScenarioSpec after scenarios were first stored, with their defaults: left out of the content
# hash while at their default, so a new field never makes a new version of a scenario that did not change.
_LATER_DEFAULTS = {("language",): "en", ("perspective", "pronouns"): ""}


def _content_hash(content: ScenarioContent) -> str:
    """The scenario's content in every language. Without translations, what it was before scenarios had any."""
    data = content.spec.model_dump(mode="json")
    for path, default in _LATER_DEFAULTS.items():
        *parents, name = path
        holder = data
        for parent in parents:
            holder = holder[parent]
        if holder.get(name) == default:
            del holder[name]
    if content.translations:
        data["translations"] = content.translations
    if content.activity_texts:
        data["activity_texts"] = content.activity_texts
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _structure_error(exc: EngineInputError, language: str = "") -> ScenarioStructureError:
    """The engine's "scenario.field: problem" as the problem and the field it names (the themes otherwise)."""
    match = re.fullmatch(r"scenario(?:\.(\w+)[^:]*)?:\s*(.+)", str(exc), re.DOTALL)
    if match is None:
        return ScenarioStructureError(str(exc), language=language)
    field_name = match.group(1) if match.group(1) in ScenarioSpec.model_fields else "themes"
    return ScenarioStructureError(match.group(2), field=field_name, language=language)


def scenario_spec_finish(spec: ScenarioSpec) -> ScenarioSpec:
    """The last check of every way in (form, file, API): the themes as stored (a word naming a known theme
    becomes its id), and the engine's analysis, which refuses a scenario it can infer nothing from."""
    spec = spec.model_copy(update={"themes": themes_normalize(spec.themes)})
    try:
        analyze_scenario(spec)
    except EngineInputError as exc:
        raise _structure_error(exc) from None
    return spec


def scenario_translation_check(*, spec: ScenarioSpec, language: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One translation's stored fields (languages.translation_flat), checked as the scenario they make in that
    language: the same limits as the scenario's own text. Raises pydantic's ValidationError, its locations in
    the spec's terms (``narrative``, ``perspective.name``, ``discussion_prompts.2``)."""
    if language == spec.language or language not in SCENARIO_LANGUAGES:
        raise ValueError(f"not a translation language: {language!r}")
    fields = dict(fields)
    activity = ActivityTexts.model_validate({key: fields.pop(key) for key in ACTIVITY_TEXT_FIELDS if key in fields})
    merged = {**_spec_texts(spec), **fields}
    checked = ScenarioSpec.model_validate({
        "slug": spec.slug, "title": merged["title"], "narrative": merged["narrative"],
        "perspective": {"name": merged["perspective_name"], "role": merged["perspective_role"],
                        "pronouns": merged["perspective_pronouns"]},
        "emotions": [e.model_dump() for e in spec.emotions], "themes": merged["themes"],
        "discussion_prompts": merged["discussion_prompts"], "language": language,
    })
    out = {key: value for key, value in _spec_texts(checked).items() if key in fields}
    if "themes" in out:
        out["themes"] = themes_normalize(out["themes"])
    return {**{key: value for key, value in out.items() if value not in ("", [])}, **activity.stored()}


def scenario_content_finish(*, spec: ScenarioSpec, translations: dict[str, dict[str, Any]] | None = None,
                            activity_texts: ActivityTexts | None = None) -> ScenarioContent:
    """scenario_spec_finish for the scenario and for each language it is translated into (its engine spec in
    that language), so a Korean participant's analogy can be written from the Korean text."""
    spec = scenario_spec_finish(spec)
    content = ScenarioContent(spec=spec, translations={code: dict(fields) for code, fields in
                                                       (translations or {}).items() if fields},
                              activity_texts=activity_texts.stored() if activity_texts else {})
    for code in content.translations:
        try:
            analyze_scenario(content.spec_in(code))
        except EngineInputError as exc:
            raise _structure_error(exc, language=code) from None
    return content


def _block_fields(block: object, where: str) -> dict[str, Any]:
    """A file's translation block -> its stored fields; a block that is not one says why."""
    if not isinstance(block, dict):
        raise ScenarioFileError(f"{where}: expected a mapping of the translated fields "
                                f"({', '.join(BLOCK_KEYS)}), got {type(block).__name__}")
    unknown = [str(key) for key in block if key not in BLOCK_KEYS]
    if unknown:
        raise ScenarioFileError(f"{where}.{unknown[0]}: not a translated field (one of {', '.join(BLOCK_KEYS)})")
    perspective = block.get("perspective")
    if perspective is not None and not isinstance(perspective, dict):
        raise ScenarioFileError(f"{where}.perspective: expected a mapping of name, role and pronouns")
    extra = [str(key) for key in perspective or {} if key not in PERSPECTIVE_KEYS]
    if extra:
        raise ScenarioFileError(f"{where}.perspective.{extra[0]}: unknown field")
    return translation_flat(block)


def scenario_content_parse(data: object, *, where: str = "scenario", parked: bool = False) -> ScenarioContent:
    """One scenario of a file: its own fields in its ``language`` (default en), and a block per translation
    under the language's code (``ko:``, or ``en:`` for a scenario written in Korean first). ``parked``: the
    file's text went through controls_park."""
    if not isinstance(data, dict):
        raise ScenarioFileError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
    if problem := control_character_problem(data, where, parked=parked):
        raise ScenarioFileError(problem)
    data = dict(data)
    blocks = {code: data.pop(code) for code in SCENARIO_LANGUAGES if code in data}
    language = data.get("language", DEFAULT_LANGUAGE)
    if language not in SCENARIO_LANGUAGES:
        raise ScenarioFileError(f"{where}.language: one of {', '.join(SCENARIO_LANGUAGES)}")
    activity_data = {key: data.pop(key) for key in ACTIVITY_TEXT_FIELDS if key in data}
    try:
        spec = ScenarioSpec.model_validate(data)
        activity = ActivityTexts.model_validate(activity_data)
    except ValidationError as exc:
        raise ScenarioFileError(describe_validation_error(exc, where, limit=5)) from None
    translations = {}
    for code, block in blocks.items():
        if code == language:
            raise ScenarioFileError(f"{where}.{code}: this is the scenario's own language; write its text in the "
                                    f"main fields (or set language to the other one)")
        try:
            translations[code] = scenario_translation_check(spec=spec, language=code,
                                                            fields=_block_fields(block, f"{where}.{code}"))
        except ValidationError as exc:
            raise ScenarioFileError(describe_validation_error(exc, f"{where}.{code}", limit=5)) from None
    try:
        return scenario_content_finish(spec=spec, translations=translations, activity_texts=activity)
    except ScenarioStructureError as exc:
        place = f"{where}.{exc.language}" if exc.language else where
        raise ScenarioFileError(f"{place}.{exc.field}: {exc}") from None


def scenario_file_contents(raw: bytes, *, filename: str = "") -> list[ScenarioContent]:
    """Parse a JSON or YAML scenario file (one scenario, a list, or {"scenarios": [...]}), every language."""
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
    contents = [scenario_content_parse(item, where=prefix.format(i), parked=bool(control_at))
                for i, item in enumerate(items)]
    slugs = [c.slug for c in contents]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ScenarioFileError(f"slug: {duplicates[0]!r} appears more than once in the file")
    return contents


def scenario_file_parse(raw: bytes, *, filename: str = "") -> list[ScenarioSpec]:
    """The file's scenarios as the engine's specs, each in its primary language (translations left aside)."""
    return [content.spec for content in scenario_file_contents(raw, filename=filename)]


def _save_version(*, organization: Organization | None, content: ScenarioContent) -> tuple[Scenario, bool]:
    """Store content as the next version of its slug unless the current version already has this content."""
    spec = content.spec
    digest = _content_hash(content)
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
        discussion_prompts=list(spec.discussion_prompts), language=spec.language,
        translations=content.translations, content_hash=digest,
        when_asked=content.activity_texts.get("when_asked", ""), witness=content.activity_texts.get("witness", ""),
    )
    return scenario, True


def library_load(*, directory: Path = LIBRARY_DIR) -> dict[str, int]:
    """Load the built-in scenario files. Safe to run again: unchanged files add nothing."""
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml"), *directory.glob("*.json")])
    contents = []
    for path in files:
        contents.extend(scenario_file_contents(path.read_bytes(), filename=path.name))
    created = 0
    with transaction.atomic():
        for content in contents:
            _, was_created = _save_version(organization=None, content=content)
            created += was_created
    return {"files": len(files), "scenarios": len(contents), "new_versions": created}


def scenario_import(*, organization: Organization, raw: bytes, filename: str = "", actor=None) -> list[Scenario]:
    """All or nothing: every scenario in the file is valid and stored, or none is (and nothing is recorded)."""
    contents = scenario_file_contents(raw, filename=filename)
    with transaction.atomic():
        imported = [_save_version(organization=organization, content=content)[0] for content in contents]
        audit_record(organization_id=organization.id, actor=actor, action=AuditAction.SCENARIO_IMPORT,
                     detail={"count": len(imported)})
    return imported


def scenario_file_export(*, organization_id: int, library: bool, fmt: str, actor) -> str:
    """The current version of the organization's own scenarios, or of the built-in library, as a file that
    scenario_import reads, and the audit row that records the file left."""
    current = Scenario.objects.filter(is_current=True)
    which = current.filter(organization__isnull=True) if library else current.filter(organization_id=organization_id)
    body = scenario_export(scenarios=list(which.order_by("slug")), fmt=fmt)
    audit_record(organization_id=organization_id, actor=actor, action=AuditAction.SCENARIO_EXPORT,
                 detail={"format": fmt})
    return body


def scenario_export(*, scenarios: list[Scenario], fmt: str = "yaml") -> str:
    """Every language of each scenario, in the format scenario_import reads."""
    data = [s.to_file_dict() for s in scenarios]
    if fmt == "json":
        return json.dumps({"scenarios": data}, ensure_ascii=False, indent=2)
    return yaml.safe_dump({"scenarios": data}, allow_unicode=True, sort_keys=False, width=100)

"""Sets of names are declared once, with labels, and every consumer reads that declaration: the engines, the
personality instruments, the roles and the languages."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from django.conf import settings

from facilitator.forms import ENGINE_CHOICES, INSTRUMENT_CHOICES, INVITATION_ROLES, WorkshopForm
from facilitator.organization import OrganizationSettingsForm
from workshop.api.workshops import WorkshopInputSerializer, WorkshopOutputSerializer
from workshop.engine import ENGINES
from workshop.participants.instruments import DATA, InstrumentId
from workshop.scenarios.languages import LANGUAGE_CHOICES, SCENARIO_LANGUAGES
from workshop.tenancy.access import ADMIN_ROLES, ALL_ROLES, REPORT_ROLES, STAFF_ROLES
from workshop.tenancy.models import Role
from workshop.workshops.models import Workshop

ROOT = Path(settings.BASE_DIR)
# The places that declare these names; everywhere else refers to the declaration.
DECLARED_IN = {"workshop/participants/instruments.py", "workshop/workshops/models.py"}


def test_the_engines_the_workshop_offers_are_the_engines_the_engine_has():
    assert set(Workshop.Engine.values) == set(ENGINES)
    assert [value for value, _label in ENGINE_CHOICES] == Workshop.Engine.values


def test_the_instruments_are_the_ones_the_data_file_holds_and_every_consumer_offers():
    sections = set(yaml.safe_load(DATA.read_text(encoding="utf-8")))
    assert set(InstrumentId.values) <= sections
    assert Workshop._meta.get_field("instrument").choices == InstrumentId.choices
    assert [value for value, _label in INSTRUMENT_CHOICES] == InstrumentId.values
    assert list(WorkshopInputSerializer().fields["instrument"].choices) == InstrumentId.values
    assert list(WorkshopOutputSerializer().fields["instrument"].choices) == InstrumentId.values


def test_the_languages_are_the_sites_everywhere():
    assert SCENARIO_LANGUAGES == tuple(code for code, _name in settings.LANGUAGES)
    assert WorkshopForm.base_fields["language"].choices == LANGUAGE_CHOICES
    assert OrganizationSettingsForm.base_fields["default_language"].choices == LANGUAGE_CHOICES
    assert tuple(WorkshopInputSerializer().fields["language"].choices) == SCENARIO_LANGUAGES


def test_the_role_groups_are_made_of_the_declared_roles():
    assert set(ALL_ROLES) == set(Role) and {r for r, _label in INVITATION_ROLES} == set(Role)
    assert set(STAFF_ROLES) | set(REPORT_ROLES) | set(ADMIN_ROLES) <= set(ALL_ROLES)


def _engine_like(node: ast.AST, parent: ast.AST | None) -> bool:
    """'builtin' is also a plain word (a built-in scenario, a query parameter): it names the engine where it is
    passed or compared as one."""
    if isinstance(parent, ast.keyword):
        return parent.arg == "engine"
    if isinstance(parent, ast.Dict):
        return any(isinstance(k, ast.Constant) and k.value == "engine" and v is node
                   for k, v in zip(parent.keys, parent.values, strict=True))
    if isinstance(parent, ast.Compare):
        return any(isinstance(side, ast.Attribute | ast.Name) and ast.unparse(side).endswith("engine")
                   for side in (parent.left, *parent.comparators))
    return isinstance(parent, ast.arguments)  # a default value


def test_no_code_outside_the_declarations_spells_an_engine_or_an_instrument_out():
    unambiguous = {Workshop.Engine.OPENAI.value, *InstrumentId.values}
    spelled = []
    for path in sorted([*ROOT.glob("workshop/**/*.py"), *ROOT.glob("facilitator/**/*.py"),
                        *ROOT.glob("participants/**/*.py")]):
        where = str(path.relative_to(ROOT))
        if where.startswith("workshop/engine/") or "migrations" in path.parts or where in DECLARED_IN:
            continue  # the engine is pure Python and names its own engines (ENGINES)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if node.value in unambiguous or (node.value == Workshop.Engine.BUILTIN.value
                                             and _engine_like(node, parents.get(id(node)))):
                spelled.append(f"{where}:{node.lineno} {node.value!r}")
    assert spelled == []

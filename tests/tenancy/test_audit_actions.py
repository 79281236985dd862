"""The audit log's actions are declared once (AuditAction) and recorded by services: every action written anywhere
is a declared member with a label in English and Korean, every detail key it writes has a label, no front end
writes an audit row itself, and audit_record refuses a code that was never declared."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from workshop.tenancy.audit import DETAIL_LABELS, AuditAction
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.tenancy.services import audit_record

ROOT = Path(settings.BASE_DIR)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _sources() -> list[Path]:
    paths = [*ROOT.glob("workshop/**/*.py"), *ROOT.glob("facilitator/**/*.py"), *ROOT.glob("participants/**/*.py")]
    return sorted(p for p in paths if "migrations" not in p.parts)


def _writes(path: Path) -> list[tuple[ast.Call, dict[str, ast.expr]]]:
    """Every audit write in the file: audit_record(...) and AuditEvent.objects.create(...), each with the names
    assigned in its function (to follow ``detail=detail`` and ``action=MARK``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]
    module_names = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                    if isinstance(t, ast.Name)}
    seen = set()
    for scope in reversed(scopes):  # innermost first, so a call is paired with its own function's names
        names = dict(module_names)
        names.update({t.id: n.value for n in ast.walk(scope) if isinstance(n, ast.Assign) for t in n.targets
                      if isinstance(t, ast.Name)})
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call) or id(node) in seen:
                continue
            func = node.func
            is_record = isinstance(func, ast.Name) and func.id == "audit_record"
            is_create = (isinstance(func, ast.Attribute) and func.attr == "create"
                         and isinstance(func.value, ast.Attribute) and isinstance(func.value.value, ast.Name)
                         and func.value.value.id == "AuditEvent")
            if is_record or is_create:
                seen.add(id(node))
                if getattr(scope, "name", "") != "audit_record":  # the writer itself
                    found.append((node, names))
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _resolve(expr: ast.expr, names: dict[str, ast.expr]) -> ast.expr:
    while isinstance(expr, ast.Name) and expr.id in names:
        expr = names.pop(expr.id)  # popped: a name assigned from itself cannot loop
    return expr


def _actions(expr: ast.expr, names: dict[str, ast.expr]) -> list[ast.expr]:
    expr = _resolve(expr, dict(names))
    if isinstance(expr, ast.IfExp):
        return [*_actions(expr.body, names), *_actions(expr.orelse, names)]
    return [expr]


def _all_writes():
    for path in _sources():
        for call, names in _writes(path):
            yield path.relative_to(ROOT), call, names


def test_the_scan_sees_the_audit_writes():
    # If the walk found nothing the rules below would prove nothing.
    where = {str(path) for path, _call, _names in _all_writes()}
    assert {"workshop/tenancy/invitations.py", "workshop/debrief/services.py",
            "workshop/workshops/services.py", "workshop/reports/synthetic.py"} <= where


def test_the_scan_flags_a_literal_code_written_in_a_view(tmp_path):
    probe = tmp_path / "views.py"
    probe.write_text('def page(request):\n    detail = {"secret_key": 1}\n'
                     '    audit_record(organization_id=1, actor=None, action="page.view", detail=detail)\n')
    [(call, names)] = _writes(probe)
    assert [ast.unparse(e) for e in _actions(_keyword(call, "action"), names)] == ["'page.view'"]
    assert [k.value for k in _resolve(_keyword(call, "detail"), dict(names)).keys] == ["secret_key"]


def test_every_action_written_anywhere_is_a_declared_audit_action():
    undeclared = []
    for path, call, names in _all_writes():
        action = _keyword(call, "action")
        for expr in _actions(action, names) if action is not None else [None]:
            ok = (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
                  and expr.value.id == "AuditAction" and expr.attr in AuditAction.__members__)
            if not ok:
                undeclared.append(f"{path}:{call.lineno} {ast.unparse(expr) if expr is not None else 'no action'}")
    assert undeclared == []


def test_no_view_writes_an_audit_row():
    """Views parse, call a service, render: the service writes the row, inside the action it records."""
    in_front_ends = [f"{path}:{call.lineno}" for path, call, _names in _all_writes()
                     if path.parts[0] in ("facilitator", "participants")
                     or (path.parts[:2] == ("workshop", "api") and path.name != "services.py")]
    assert in_front_ends == []


def test_every_detail_key_written_has_a_label():
    unlabelled = set()
    for path, call, names in _all_writes():
        detail = _keyword(call, "detail")
        if detail is None:
            continue
        for node in ast.walk(_resolve(detail, dict(names))):
            if isinstance(node, ast.Dict):
                unlabelled |= {f"{path}: {k.value}" for k in node.keys
                               if isinstance(k, ast.Constant) and k.value not in DETAIL_LABELS}
    assert unlabelled == set()


@pytest.mark.parametrize("action", list(AuditAction), ids=lambda a: a.value)
def test_every_action_has_a_label_in_english_and_in_korean(action):
    with translation.override("en"):
        english = str(action.label)
    with translation.override("ko"):
        korean = str(action.label)
    assert english != action.value and "." not in english.split()[0]
    assert HANGUL.search(korean), f"{action.value}: no Korean label (add it to the catalogue): {korean!r}"


def test_every_action_code_names_an_object_and_what_happened_to_it():
    # 'object.verb' keeps the codes groupable in filters and readable in the API.
    assert [a.value for a in AuditAction if not re.fullmatch(r"[a-z_]+\.[a-z_]+", a.value)] == []
    assert len(set(AuditAction.values)) == len(AuditAction)


def test_a_code_that_was_never_declared_is_refused_and_nothing_is_written(org_a):
    with unscoped():
        before = AuditEvent.objects.count()
        with pytest.raises(ValueError):
            audit_record(organization_id=org_a.org.id, actor=org_a.admin, action="workshop.reopen")
        assert AuditEvent.objects.count() == before
        event = audit_record(organization_id=org_a.org.id, actor=org_a.admin, action=AuditAction.WORKSHOP_OPEN)
    assert event.action == "workshop.open", "the stored code stays the string it always was"

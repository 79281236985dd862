"""The import direction DESIGN.md states: the UI apps sit on top of workshop/, never the reverse, and the
engine is pure Python. Read from the source with ast, so a lazy import inside a function counts too."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_APPS = ("facilitator", "participants")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
                "import_module", "__import__"} and node.args and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def violations(package: str, refused) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {module}"
            for path in sources(package) for line, module in imported_modules(path) if refused(module)]


def test_nothing_in_workshop_imports_the_ui_apps():
    assert violations("workshop", lambda module: top(module) in UI_APPS) == []


def test_the_phone_pages_do_not_import_the_console():
    assert violations("participants", lambda module: top(module) == "facilitator") == []


def test_the_engine_imports_nothing_from_django_or_the_rest_of_the_project():
    def refused(module: str) -> bool:
        if module.startswith("workshop.engine"):
            return False
        return top(module) in {"django", "rest_framework", "celery", "workshop", *UI_APPS}
    assert violations("workshop/engine", refused) == []


def test_the_phone_app_holds_no_models_services_or_tasks():
    # The domain (models, services, selectors, tasks) lives in workshop/participants; participants/ keeps
    # the phone pages only.
    left = sorted(p.name for p in (ROOT / "participants").glob("*.py")
                  if p.stem in {"models", "services", "selectors", "tasks", "migrations"})
    assert left == []
    assert not (ROOT / "participants" / "migrations").exists()


def test_the_checker_sees_lazy_imports(tmp_path):
    # The walk above must see an import inside a function, or the rule above proves nothing.
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from facilitator import views\n    import participants.views\n")
    assert [m for _, m in imported_modules(probe)] == ["facilitator", "participants.views"]

"""The apps depend one way: accounts <- interviews <- outreach <- reminders.

A lower app never imports a higher one; where a change below must move the rules above, it
goes through ``interviews.replan.application_replan`` or ``accounts.signals``. The pure
modules (the clock, the cadence rules, the planner) import no database code at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["accounts", "interviews", "outreach", "reminders"]
PURE = ["followup_site/clock.py", "outreach/cadence.py", "reminders/planner.py"]


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:``: type hints are not dependencies."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules_of(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_no_app_above_it(app):
    above = LAYERS[LAYERS.index(app) + 1 :]
    offending = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules_of(app)
        for module in _imported_modules(path)
        if module.split(".")[0] in above
    )
    assert offending == []


@pytest.mark.parametrize("module", PURE)
def test_the_pure_rules_touch_no_database_and_no_service(module):
    imported = _imported_modules(ROOT / module)
    assert not any(name.startswith(("django.db", "django.core.mail")) for name in imported)
    assert not any(".services" in name or name.endswith(".models") for name in imported)


def test_no_two_apps_have_a_module_of_the_same_name_beyond_djangos_own():
    usual = {"__init__", "admin", "apps", "forms", "models", "selectors", "services", "urls"}
    usual |= {"views", "tests", "signals", "tasks"}
    seen: dict[str, str] = {}
    clashes = []
    for app in [*LAYERS, "followup_site"]:
        for path in _modules_of(app):
            name = path.stem
            if name in usual:
                continue
            if name in seen and seen[name] != app:
                clashes.append(f"{name}: {seen[name]} and {app}")
            seen.setdefault(name, app)
    assert clashes == []

"""The browser tests wait on functions, never on bare expressions.

Playwright's ``wait_for_function`` runs a bare expression (``"document.x === 1"``) through
``eval`` in the page again on every poll. The app's Content-Security-Policy allows no
``'unsafe-eval'``, so every poll after the first fails with an EvalError: such a wait passes
when its condition already holds at the first check and fails when it comes true a moment
later. A function (``"() => document.x === 1"``) is evaluated once and then called on each poll.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parent
# An arrow function or a function expression, as the predicate's text begins.
_FUNCTION = re.compile(r"\s*(async\s+)?(function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")


def _leading_text(node: ast.expr) -> str | None:
    """The literal start of a string or f-string argument; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def bare_expression_waits(source: str, filename: str = "<test>") -> list[str]:
    """Where ``source`` calls ``wait_for_function`` with a literal that is no function."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "wait_for_function"
        ):
            continue
        arguments = node.args[:1] + [k.value for k in node.keywords if k.arg == "expression"]
        for argument in arguments:
            text = _leading_text(argument)
            if text is not None and not _FUNCTION.match(text):
                found.append(f"{filename}:{node.lineno}: {text.strip()[:60]}")
    return found


def test_the_rule_tells_a_bare_expression_from_a_function():
    bare = [
        "page.wait_for_function(\"document.activeElement.id === 'x'\")",
        "page.wait_for_function(f\"document.activeElement.id === 'stage-{pk}'\")",
        'page.wait_for_function(expression="window.ready")',
    ]
    functions = [
        'page.wait_for_function("() => window.ready")',
        "page.wait_for_function(f\"() => document.activeElement.id === 'stage-{pk}'\")",
        'page.wait_for_function("(n) => window.count > n", arg=2)',
        'page.wait_for_function("function () { return window.ready; }")',
        'page.wait_for_function("async () => window.ready")',
    ]
    assert [bool(bare_expression_waits(line)) for line in bare] == [True] * len(bare)
    assert [bare_expression_waits(line) for line in functions] == [[]] * len(functions)


def test_every_browser_test_waits_on_a_function():
    found = [
        place
        for path in sorted(BROWSER_TESTS.rglob("*.py"))
        if "vendor" not in path.parts
        for place in bare_expression_waits(path.read_text(), str(path.relative_to(BROWSER_TESTS)))
    ]
    assert found == [], "\n".join(found)

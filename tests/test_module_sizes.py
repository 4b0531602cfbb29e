"""Small modules and functions in registration/: at most 400 lines a module and 60 a
function, unless its docstring says why it is longer ("Longer than ... on purpose")."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "registration"
MODULE_LINES = 400
FUNCTION_LINES = 60
REASON = "on purpose"
# Modules or functions being split by someone's open work (none now).
PENDING: set[str] = set()


def _too_long() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        explained = REASON in (ast.get_docstring(tree) or "")
        if text.count("\n") > MODULE_LINES and not explained and name not in PENDING:
            found.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            where = f"{name}:{node.name}"
            explained = REASON in (ast.get_docstring(node) or "")
            if length > FUNCTION_LINES and where not in PENDING and not explained:
                found.append(f"{where}: {length} lines")
    return found


def test_modules_and_functions_are_small_or_say_why() -> None:
    assert _too_long() == []

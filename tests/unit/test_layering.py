"""Services are the only home of queries and transactions: no module under web/ or cli/
imports SQLAlchemy or commits, rolls back or executes on a session itself."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "assessment"
SESSION_CALLS = {"commit", "rollback", "execute", "scalar", "scalars", "flush", "add", "delete"}


def _modules():
    for folder in ("web", "cli"):
        yield from sorted((PACKAGE / folder).rglob("*.py"))


def test_views_and_commands_do_not_import_sqlalchemy():
    """Only the Session type, for annotations; nothing that builds a query."""
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                offenders += [
                    f"{path.name}: {a.name}" for a in node.names if a.name.startswith("sqlalchemy")
                ]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                offenders += [
                    f"{path.name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name != "Session"
                ]
    assert offenders == []


def test_views_and_commands_do_not_run_transactions():
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SESSION_CALLS
                and isinstance(node.func.value, ast.Call)
                and getattr(node.func.value.func, "id", "") == "get_session"
            ):
                offenders.append(f"{path.name}:{node.lineno}: get_session().{node.func.attr}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"commit", "rollback"}
            ):
                offenders.append(f"{path.name}:{node.lineno}: .{node.func.attr}()")
    assert offenders == []

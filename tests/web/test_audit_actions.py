"""The audit actions are one fixed list (``audit.ACTIONS``), and the log page's filter is built
from it, not from the log.

The filter once listed ``SELECT DISTINCT action`` over every event, which reads the whole log
on every view and grows with it. A fixed list can drift from what the code records, so: the
code is read for every action it can record (each ``AuditEvent(action=...)``, followed back
through the functions that pass the action on), and that set must be the list; and ``record``
refuses an action missing from it, for whatever the reading could not see.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event

from assessment.db import get_session
from assessment.services import audit
from assessment.services.users import find_by_email

PACKAGE = Path(audit.__file__).resolve().parents[1]


# Reading the code


@dataclass(frozen=True)
class Function:
    path: Path
    node: ast.FunctionDef


def _short_name(path: Path) -> str:
    """How other modules call the module's functions: ``audit.record`` for services/audit.py."""
    return path.parent.name if path.stem == "__init__" else path.stem


def _functions(trees: dict[Path, ast.Module]) -> dict[int, Function]:
    """Every function of the package, by the id of each AST node inside it (innermost wins)."""
    inside: dict[int, Function] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for child in ast.walk(node):
                    inside[id(child)] = Function(path, node)
    # ast.walk visits outer functions first, so nested ones overwrote their own nodes.
    return inside


def _parameter_index(function: ast.FunctionDef, name: str) -> int | None:
    arguments = function.args.posonlyargs + function.args.args
    names = [a.arg for a in arguments]
    if name in names:
        return names.index(name)
    if name in [a.arg for a in function.args.kwonlyargs]:
        return -1  # keyword only
    return None


def _calls_of(trees: dict[Path, ast.Module], function: Function) -> list[tuple[Path, ast.Call]]:
    """Calls of ``function``: by its bare name in its own module, as ``module.name`` anywhere."""
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            if (isinstance(called, ast.Name) and path == function.path) or (
                isinstance(called, ast.Attribute)
                and isinstance(called.value, ast.Name)
                and called.value.id == _short_name(function.path)
            ):
                name = called.id if isinstance(called, ast.Name) else called.attr
                if name == function.node.name:
                    found.append((path, node))
    return found


def recorded_actions() -> tuple[set[str], list[str], int]:
    """(every action the package can record, what could not be followed, AuditEvent sites)."""
    trees = {
        path: ast.parse(path.read_text(), str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts  # history: they record nothing the app does now
    }
    inside = _functions(trees)
    actions: set[str] = set()
    unresolved: list[str] = []

    def resolve(module: Path, expression: ast.expr, depth: int = 0) -> None:
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            actions.add(expression.value)
        elif isinstance(expression, ast.IfExp):
            resolve(module, expression.body, depth)
            resolve(module, expression.orelse, depth)
        elif isinstance(expression, ast.Name) and id(expression) in inside and depth < 5:
            function = inside[id(expression)]
            index = _parameter_index(function.node, expression.id)
            callers = _calls_of(trees, function) if index is not None else []
            if not callers:
                unresolved.append(f"{module.name}:{expression.lineno}: {expression.id}")
            for caller_module, call in callers:
                given = [k.value for k in call.keywords if k.arg == expression.id]
                if index is not None and 0 <= index < len(call.args):
                    given.append(call.args[index])
                if len(given) != 1 or isinstance(given[0], ast.Starred):
                    unresolved.append(
                        f"{caller_module.name}:{call.lineno}: {ast.unparse(call)[:80]}"
                    )
                    continue
                resolve(caller_module, given[0], depth + 1)
        else:
            unresolved.append(f"{module.name}:{expression.lineno}: {ast.unparse(expression)[:80]}")

    sites = 0
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "AuditEvent"
            ):
                sites += 1
                given = [k.value for k in node.keywords if k.arg == "action"]
                if len(given) != 1:
                    unresolved.append(f"{module.name}:{node.lineno}: AuditEvent without action=")
                    continue
                resolve(module, given[0])
    return actions, unresolved, sites


def test_every_action_the_code_records_is_in_the_list_and_no_other():
    actions, unresolved, sites = recorded_actions()
    # audit.record and the seeding command build events; fewer sites means the reading broke.
    assert sites >= 2
    assert unresolved == [], "give these calls the action as a literal (or an if/else of two)"
    assert len(actions) >= 25  # what the code recorded when the list was made
    assert sorted(actions - audit.ACTIONS.keys()) == [], "add these to audit.ACTION_GROUPS"
    assert sorted(audit.ACTIONS.keys() - actions) == [], "nothing records these any more"


def test_every_action_is_in_the_group_its_name_starts_with():
    for group in audit.ACTION_GROUPS:
        for action in group.actions:
            assert action.startswith(group.prefix), action
    assert len(audit.ACTIONS) == sum(len(g.actions) for g in audit.ACTION_GROUPS)


def test_record_refuses_an_action_missing_from_the_list(app, people):
    with app.app_context():
        session = get_session()
        admin = find_by_email(session, people.admin)
        with pytest.raises(audit.UnknownAction, match="user.frobnicate"):
            audit.record(session, admin, "user.frobnicate", f"user {admin.id}")
        assert not session.new  # nothing was added for the caller's commit to write


# The page


def options(html: str) -> list[str]:
    select_html = html[html.index('<select id="action"') :].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', select_html)


@pytest.fixture
def admin(client, people):
    client.login(people.admin)
    return client


def test_the_filter_offers_every_action_by_name_without_reading_the_log(app, admin):
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        html = admin.get("/admin/audit").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    expected = [""]
    for group in audit.ACTION_GROUPS:
        expected += [group.prefix, *group.actions]
    assert options(html) == expected
    assert '<optgroup label="Accounts">' in html
    assert ">Recovery code used</option>" in html
    on_the_log = [s for s in statements if "audit_event" in s]
    assert len(on_the_log) == 1  # the page of events itself
    assert "DISTINCT" not in on_the_log[0].upper()


def test_an_action_filters_exactly_and_a_group_by_its_start(app, admin, people):
    """ "user.mfa_recovery_code" is also the start of "user.mfa_recovery_codes": chosen from the
    list, an action shows itself only; a group shows all of its own."""
    with app.app_context():
        session = get_session()
        officer = find_by_email(session, people.officer_a)
        audit.record(session, officer, "user.mfa_recovery_code", f"user {officer.id}", left=9)
        audit.record(session, officer, "user.mfa_recovery_codes", f"user {officer.id}")
        session.commit()

    def actions_shown(query: str) -> set[str]:
        html = admin.get(f"/admin/audit?{query}").get_data(as_text=True)
        return set(re.findall(r'<code class="hint">([a-z_]+\.[a-z_]+)</code></td>', html))

    assert actions_shown("action=user.mfa_recovery_code") == {"user.mfa_recovery_code"}
    assert actions_shown("action=user.mfa_recovery_codes") == {"user.mfa_recovery_codes"}
    assert {"user.mfa_recovery_code", "user.mfa_recovery_codes", "user.create"} <= actions_shown(
        "action=user."
    )
    assert all(a.startswith("user.") for a in actions_shown("action=user."))
    html = admin.get("/admin/audit?action=user.mfa_recovery_code").get_data(as_text=True)
    assert '<option value="user.mfa_recovery_code" selected>' in html

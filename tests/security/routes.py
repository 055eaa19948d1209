"""The route inventory: every URL rule of the app, and how each walk of this suite reaches it.

Rules are keyed by their pattern (``rule.rule``): one endpoint may have several rules.

- The isolation walk attacks every rule that takes an id: the assessment rules below are
  described one by one (404 for another organisation); every rule under ``/admin/`` is walked
  generically by an officer (403), its arguments filled from ``ARG_VALUES``.
- The GET walk and the CSRF walk use the pages and actions below, and build the remaining
  ``/admin/`` rules generically.

``test_route_inventory.py`` fails when a rule of ``app.url_map`` is reached by none of them, so
the suite cannot fall behind the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from ..conftest import PASSWORD
from .helpers import open_section

# Reachable without logging in, and about no object of anyone.
PUBLIC = {
    "/static/<path:filename>": "the stylesheet and script; traversal is tested in test_headers",
    "/login": "the login form; its next= is walked in test_redirects_and_sessions.py",
    "/healthz": "for load balancers: says the database answers, nothing else",
}

# Act only on the logged-in person (or redirect): no id to swap for another organisation's.
NOT_ID_BASED = {
    "/logout": "ends the caller's own sessions",
    "/account/password": "changes the caller's own password",
    "/account/language": "the caller's own interface language",
    "/account/mfa": "the caller's own second factor",
    "/account/mfa/<any(disable, recovery):action>": "the caller's own second factor",
    "/login/mfa": "the second step of the caller's own pending login (user from the session)",
    "/login/mfa/setup": "enrolment during the caller's own pending login",
    "/": "redirects to the login or the dashboard",
    "/home": "the caller's own landing page",
    "/assessments/sharing": "the caller's own organisation's sharing with the sector view",
}

# Every rule below this prefix is administration: officers get 403, whatever the id.
ADMIN_PREFIX = "/admin"
# Every rule below this prefix is the sector view: aggregates only, for sector analysts (and
# administrators); officers get 403. Its rules take no id (a report is found by its state).
SECTOR_PREFIX = "/sector"

# Values for the arguments of rules built generically (A's objects, or shared content).
ARG_VALUES: dict[str, Callable] = {
    "assessment_id": lambda w: w.a_open,
    "section_id": lambda w: "a",
    "organisation_id": lambda w: w.org_a,
    "user_id": lambda w: w.user_ids["officer_a"],
    "version_id": lambda w: w.question_set,
    "question_id": lambda w: "a1",
    "entry_id": lambda w: "m-backup",
    "kind": lambda w: "mitigations",
    "action": lambda w: "retire",
    "offset": lambda w: 1,
    "type_name": lambda w: "text",
    "filename": lambda w: "app.css",
    "move_id": lambda w: w.move_id,
    "report_id": lambda w: w.report_id,
    "language": lambda w: "nl",
}

# Integer arguments that name a stored object (walked 1..N); others (offset) are not ids.
ID_ARGS = {"assessment_id", "organisation_id", "user_id", "version_id", "move_id", "report_id"}


def build(rule: Rule, world, **override) -> str:
    """The path of ``rule`` with ARG_VALUES (and ``override``) filled in."""
    values = {
        name: ARG_VALUES[name](world)
        for name in rule.arguments
        if name not in (rule.defaults or {})
    }
    for name, converter in rule._converters.items():  # <any(x, y):name>: one of its words
        words = getattr(converter, "items", None)
        if words and values.get(name) not in words:
            values[name] = sorted(words)[0]
    values.update(override)
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build {rule.rule} from {values}"
    return built[1]


def role_for(rule: Rule) -> str:
    """Who uses a rule built generically."""
    if rule.rule.startswith(ADMIN_PREFIX):
        return "admin"
    if rule.rule.startswith(SECTOR_PREFIX):
        return "analyst"
    return "anonymous" if rule.rule in PUBLIC else "officer_a"


@dataclass(frozen=True)
class Probe:
    """How officer B attacks one of organisation A's assessment routes."""

    kind: str  # "assessment": 404 for A's objects | "listing": shows and takes only B's own
    which: str = "a_open"  # A's assessment the path names
    query: str = ""


A = "/assessments/<int:assessment_id>"
TENANT_PROBES: dict[str, Probe] = {
    A: Probe("assessment"),
    A + "/sections/<section_id>": Probe("assessment"),
    A + "/sections/<section_id>/autosave": Probe("assessment"),
    A + "/review": Probe("assessment"),
    A + "/complete": Probe("assessment"),
    A + "/language": Probe("assessment"),
    A + "/reopen": Probe("assessment", "a_done"),
    A + "/results": Probe("assessment"),
    A + "/result.json": Probe("assessment"),
    A + "/action-plan.csv": Probe("assessment"),
    A + "/answers.csv": Probe("assessment"),
    A + "/report.pdf": Probe("assessment"),
    A + "/move": Probe("assessment"),
    A + "/history/<int:move_id>/report.pdf": Probe("assessment", "a_moved"),
    A + "/reports/<int:report_id>": Probe("assessment"),
    A + "/reports/<int:report_id>/download": Probe("assessment"),
    "/assessments/": Probe("listing"),
    "/assessments/new": Probe("listing"),
}


def tenant_path(rule: Rule, world) -> str:
    probe = TENANT_PROBES[rule.rule]
    override = (
        {"assessment_id": getattr(world, probe.which)} if "assessment_id" in rule.arguments else {}
    )
    return build(rule, world, **override) + probe.query


@dataclass(frozen=True)
class Page:
    """A GET as the role that uses the page (GET walk: headers, no state change)."""

    role: str  # "anonymous", "pending_admin", "officer_a", "officer_b", "admin" or "analyst"
    path: Callable  # (world) -> path
    expect: tuple[int, ...] = (200,)


def _a(suffix: str = "", which: str = "a_open") -> Callable:
    return lambda w: f"/assessments/{getattr(w, which)}{suffix}"


def _p(path: str) -> Callable:
    return lambda w: path


GET_PAGES: dict[str, list[Page]] = {
    "/static/<path:filename>": [Page("anonymous", _p("/static/app.css"))],
    "/healthz": [Page("anonymous", _p("/healthz"))],
    "/login": [Page("anonymous", _p("/login")), Page("officer_a", _p("/login"), (302,))],
    "/account/password": [Page("officer_a", _p("/account/password"))],
    "/account/mfa": [Page("officer_a", _p("/account/mfa")), Page("admin", _p("/account/mfa"))],
    "/login/mfa": [
        Page("pending_admin", _p("/login/mfa")),
        Page("anonymous", _p("/login/mfa"), (302,)),
    ],
    "/login/mfa/setup": [Page("pending_admin", _p("/login/mfa/setup"), (302,))],
    "/": [Page("anonymous", _p("/"), (302,)), Page("officer_a", _p("/"), (302,))],
    "/home": [Page("admin", _p("/home")), Page("officer_a", _p("/home"), (302,))],
    "/assessments/": [Page("officer_a", _p("/assessments/")), Page("admin", _p("/assessments/"))],
    "/assessments/new": [
        Page("officer_a", _p("/assessments/new")),
        Page("admin", _p("/assessments/new"), (302,)),
    ],
    A: [Page("officer_a", _a(), (302,))],
    A + "/sections/<section_id>": [
        Page("officer_a", _a("/sections/a")),
        Page("admin", _a("/sections/a")),
    ],
    A + "/review": [Page("officer_a", _a("/review")), Page("officer_a", _a("/review?show=review"))],
    A + "/complete": [Page("officer_a", _a("/complete"))],
    A + "/reopen": [Page("officer_a", _a("/reopen", "a_done"))],
    A + "/results": [Page("officer_a", _a("/results")), Page("admin", _a("/results", "a_done"))],
    A + "/result.json": [Page("officer_a", _a("/result.json"))],
    A + "/action-plan.csv": [Page("officer_a", _a("/action-plan.csv"))],
    A + "/answers.csv": [Page("officer_a", _a("/answers.csv"))],
    A + "/report.pdf": [Page("officer_a", _a("/report.pdf"), (303,))],
    A + "/reports/<int:report_id>": [
        Page("officer_a", lambda w: f"/assessments/{w.a_open}/reports/{w.report_id}")
    ],
    A + "/reports/<int:report_id>/download": [
        Page(
            "officer_a",
            lambda w: f"/assessments/{w.a_open}/reports/{w.report_id}/download",
            (200, 303),
        )
    ],
    A + "/move": [
        Page("officer_a", _a("/move")),
        Page("officer_a", lambda w: f"/assessments/{w.a_open}/move?version={w.question_set_v2}"),
    ],
    A + "/history/<int:move_id>/report.pdf": [
        Page(
            "officer_a",
            lambda w: f"/assessments/{w.a_moved}/history/{w.move_id}/report.pdf",
            (303,),
        )
    ],
    "/admin/": [Page("admin", _p("/admin/"), (302,))],
    "/admin/organisations": [Page("admin", _p("/admin/organisations"))],
    "/admin/organisations/new": [Page("admin", _p("/admin/organisations/new"))],
    "/admin/organisations/<int:organisation_id>/edit": [
        Page("admin", lambda w: f"/admin/organisations/{w.org_a}/edit")
    ],
    "/admin/organisations/<int:organisation_id>/active": [
        Page("admin", lambda w: f"/admin/organisations/{w.org_a}/active")
    ],
    "/admin/users": [
        Page("admin", _p("/admin/users")),
        Page("admin", lambda w: f"/admin/users?organisation={w.org_b}"),
    ],
    "/admin/users/new": [Page("admin", _p("/admin/users/new"))],
    "/admin/users/<int:user_id>/edit": [
        Page("admin", lambda w: f"/admin/users/{w.user_ids['officer_a']}/edit")
    ],
    "/admin/users/<int:user_id>/active": [
        Page("admin", lambda w: f"/admin/users/{w.user_ids['officer_a']}/active")
    ],
    "/admin/audit": [Page("admin", _p("/admin/audit"))],
    "/assessments/sharing": [
        Page("officer_a", _p("/assessments/sharing")),
        Page("admin", _p("/assessments/sharing"), (404,)),  # theirs is under /admin
    ],
    "/sector/": [Page("analyst", _p("/sector/")), Page("admin", _p("/sector/"))],
    "/sector/figures.csv": [Page("analyst", _p("/sector/figures.csv"))],
    "/sector/figures.json": [Page("analyst", _p("/sector/figures.json"))],
    # With no organisation sharing there is no report to make: 404, and nothing is queued.
    "/sector/report.pdf": [Page("analyst", _p("/sector/report.pdf"), (404,))],
    "/sector/report": [Page("analyst", _p("/sector/report"), (404,))],
}


def pages_for(rule: Rule, world) -> list[Page]:
    """The listed pages of a rule, or one generic GET as its role (any status below 500)."""
    if rule.rule in GET_PAGES:
        return GET_PAGES[rule.rule]
    path = build(rule, world)
    return [Page(role_for(rule), lambda w: path, ())]


def _section_data(w, client) -> MultiDict:
    """What officer A's section form sends after changing an answer."""
    return open_section(client, w.a_open, "a").set("a:a1", "yes").set("c:a1", "changed").data()


@dataclass(frozen=True)
class Action:
    """A state-changing request as the role allowed to make it, with the fields a real form
    sends (without csrf_token): the CSRF walk checks that with a valid token it does change
    something, so the refusals without one mean something."""

    role: str
    path: Callable  # (world) -> path
    data: Callable  # (world, client) -> MultiDict
    form_page: str = "/account/password"  # where the client reads its own token
    control: bool = True  # whether a valid token must change something (see below)


def _fields(**fields: str) -> Callable:
    return lambda w, c: MultiDict(fields)


STATE_CHANGES: dict[str, Action] = {
    "/login": Action(
        "anonymous",
        _p("/login"),
        lambda w, c: MultiDict({"email": w.people.officer_a, "password": PASSWORD}),
        "/login",
    ),
    "/logout": Action("officer_a", _p("/logout"), _fields()),
    "/login/mfa": Action(
        "pending_admin",
        _p("/login/mfa"),
        lambda w, c: MultiDict({"code": c.next_code(w.people.admin)}),
        "/login/mfa",
    ),
    # Enrolment at login is for a pending user without a second factor whom it is required of;
    # the world has none, so only the refusals are checked here.
    "/login/mfa/setup": Action(
        "pending_admin", _p("/login/mfa/setup"), _fields(code="123456"), "/login/mfa", False
    ),
    "/account/mfa": Action(
        "officer_a",
        _p("/account/mfa"),
        lambda w, c: MultiDict({"code": enrolment_code(c)}),
        "/account/mfa",
    ),
    "/account/mfa/<any(disable, recovery):action>": Action(
        "admin", _p("/account/mfa/recovery"), _fields(password=PASSWORD), "/account/mfa"
    ),
    "/account/password": Action(
        "officer_a",
        _p("/account/password"),
        _fields(
            current_password=PASSWORD,
            new_password="an entirely fresh passphrase",
            confirm="an entirely fresh passphrase",
        ),
    ),
    "/assessments/new": Action(
        "officer_a",
        _p("/assessments/new"),
        lambda w, c: MultiDict(
            {
                "title": "Forged",
                "scope": "",
                "question_set_version_id": str(w.question_set),
                "previous_id": "0",
            }
        ),
    ),
    A + "/sections/<section_id>": Action("officer_a", _a("/sections/a"), _section_data),
    A + "/sections/<section_id>/autosave": Action(
        "officer_a", _a("/sections/a/autosave"), _section_data
    ),
    A + "/complete": Action("officer_a", _a("/complete"), _fields()),
    A + "/language": Action("officer_a", _a("/language"), _fields(language="fr")),
    "/account/language": Action("officer_a", _p("/account/language"), _fields(language="nl")),
    A + "/move": Action(
        "officer_a", _a("/move"), lambda w, c: MultiDict({"version": str(w.question_set_v2)})
    ),
    A + "/reopen": Action("officer_a", _a("/reopen", "a_done"), _fields()),
    "/admin/organisations/new": Action(
        "admin",
        _p("/admin/organisations/new"),
        _fields(name="Port of Forgery", kind="terminal", country="BE"),
    ),
    "/admin/organisations/<int:organisation_id>/edit": Action(
        "admin",
        lambda w: f"/admin/organisations/{w.org_b}/edit",
        _fields(name="Renamed", kind="terminal", country="BE"),
    ),
    "/admin/organisations/<int:organisation_id>/active": Action(
        "admin", lambda w: f"/admin/organisations/{w.org_b}/active", _fields()
    ),
    "/admin/users/new": Action(
        "admin",
        _p("/admin/users/new"),
        _fields(
            email="planted@evil.example",
            display_name="Planted",
            role="admin",
            organisation_id="0",
            password="",
        ),
    ),
    "/admin/users/<int:user_id>/edit": Action(
        "admin",
        lambda w: f"/admin/users/{w.user_ids['officer_b']}/edit",
        lambda w, c: MultiDict(
            {
                "email": w.people.officer_b,
                "display_name": "Renamed officer",
                "role": "admin",
                "organisation_id": str(w.org_b),
                "password": "",
            }
        ),
    ),
    "/admin/users/<int:user_id>/active": Action(
        "admin", lambda w: f"/admin/users/{w.user_ids['officer_b']}/active", _fields()
    ),
    "/assessments/sharing": Action(
        "officer_a", _p("/assessments/sharing"), _fields(share="on"), "/assessments/sharing"
    ),
    "/admin/organisations/<int:organisation_id>/sharing": Action(
        "admin", lambda w: f"/admin/organisations/{w.org_b}/sharing", _fields(share="on")
    ),
}


def enrolment_code(client) -> str:
    """The code an authenticator app shows for the secret of the enrolment page this client's
    user opened (kept on the server, not in the session)."""
    import pyotp

    from assessment.db import get_session
    from assessment.models import User

    with client.session_transaction() as session:
        user_id = int(session["_user_id"].split(":")[0])
    with client.application.app_context():
        return pyotp.TOTP(get_session().get(User, user_id).mfa_setup_secret).now()


def action_for(rule: Rule, world) -> Action:
    """The listed action of a state-changing rule, or a generic one (refusals only)."""
    if rule.rule in STATE_CHANGES:
        return STATE_CHANGES[rule.rule]
    path = build(rule, world)
    return Action(role_for(rule), lambda w: path, _fields(name="Forged"), control=False)


def client_for(world, role: str, make_client):
    """The world's logged-in client for a role, a fresh anonymous one, or one whose login
    waits for the second factor (the administrator's password given, not the code)."""
    if role == "anonymous":
        return make_client()
    if role == "pending_admin":
        client = make_client()
        response = client.submit("/login", {"email": world.people.admin, "password": PASSWORD})
        assert response.headers["Location"] == "/login/mfa", "the admin's login asks no code"
        return client
    return world.client(role)


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def all_rules(app) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def rule_named(app, pattern: str) -> Rule:
    return next(r for r in app.url_map.iter_rules() if r.rule == pattern)


@cache
def _inventory_app():
    """An app made only to read its URL map (the engine is lazy: no database is touched)."""
    from assessment import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k" * 32,
            "DATABASE_URL": "sqlite://",
            "RATELIMIT_STORAGE_URI": "memory://",  # as the tests' apps: no table to count in
        }
    )


def inventory() -> list[Rule]:
    """Every URL rule of the app, for parametrizing tests at collection time."""
    return all_rules(_inventory_app())


def patterns_where(test: Callable[[Rule], bool]) -> list[str]:
    return [rule.rule for rule in inventory() if test(rule)]

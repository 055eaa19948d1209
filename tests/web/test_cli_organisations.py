"""``port-assess organisation create/list/deactivate`` against a real database."""

from __future__ import annotations

import json

from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, Organisation

from .test_cli import run


def create(app, name, *extra):
    return run(app, "organisation", "create", "--name", name, "--country", "nl", *extra)


def stored(app, name) -> Organisation | None:
    with app.app_context():
        return get_session().scalar(select(Organisation).where(Organisation.name == name))


def test_create_stores_the_organisation_and_audits_it(app):
    result = create(app, "Port of Clifton", "--kind", "terminal", "--require-mfa")
    assert result.exit_code == 0, result.output
    org = stored(app, "Port of Clifton")
    assert (org.kind, org.country, org.require_mfa, org.active) == ("terminal", "NL", True, True)
    assert f"Created organisation {org.id} 'Port of Clifton'." in result.output
    with app.app_context():
        event = get_session().scalar(select(AuditEvent))
    assert (event.action, event.actor_email) == ("organisation.create", "system")


def test_create_refuses_a_name_taken_whatever_its_case_unless_told_it_may_exist(app):
    assert create(app, "Port of Clifton").exit_code == 0
    again = create(app, "PORT OF CLIFTON")
    assert again.exit_code == 1
    assert "already exists" in again.output
    kept = create(app, "port of clifton", "--exist-ok")
    assert kept.exit_code == 0, kept.output
    assert "exists; unchanged" in kept.output
    with app.app_context():
        assert len(get_session().scalars(select(Organisation)).all()) == 1


def test_create_checks_what_the_admin_form_checks(app):
    assert "Unknown country 'XX'" in create(app, "Port", "--country", "XX").output
    assert "1 to 200 characters" in create(app, "   ").output
    assert "1 to 200 characters" in create(app, "P" * 201).output
    wrong_kind = create(app, "Port", "--kind", "ferry")
    assert wrong_kind.exit_code == 2  # click refuses the choice
    with app.app_context():
        assert get_session().scalars(select(Organisation)).all() == []


def test_list_shows_every_organisation_with_its_users(app, people):
    table = run(app, "organisation", "list")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert "name" in lines[0]
    # By name: Bexley before Port of Aldport; one officer each.
    assert lines[1].endswith("Bexley Container Terminal")
    assert lines[2].endswith("Port of Aldport")
    listed = json.loads(run(app, "organisation", "list", "--json").output)
    assert [(o["name"], o["users"], o["active"]) for o in listed] == [
        ("Bexley Container Terminal", 1, True),
        ("Port of Aldport", 1, True),
    ]


def test_deactivate_locks_out_its_officers_and_activate_lets_them_back(app, people, client):
    result = run(app, "organisation", "deactivate", "port of aldport")
    assert result.exit_code == 0, result.output
    assert "deactivated" in result.output
    assert stored(app, "Port of Aldport").active is False
    client.login(people.officer_a)
    assert client.get("/assessments/").status_code == 302  # sent to the login page
    assert "already inactive" in run(app, "organisation", "deactivate", "Port of Aldport").output
    assert run(app, "organisation", "activate", "Port of Aldport").exit_code == 0
    assert stored(app, "Port of Aldport").active is True
    with app.app_context():
        actions = get_session().scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["organisation.deactivate", "organisation.activate"]


def test_deactivate_names_an_unknown_organisation(app):
    result = run(app, "organisation", "deactivate", "Nowhere")
    assert result.exit_code == 1
    assert "no organisation called 'Nowhere'" in result.output

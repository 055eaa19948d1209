"""The port-assess command against a real database."""

from __future__ import annotations

from sqlalchemy import func, select

from assessment.cli import cli
from assessment.db import get_session
from assessment.models import QuestionSetVersion, User


def run(app, *args, env=None):
    """Invoke ``port-assess`` within this test's app (and database)."""
    return app.test_cli_runner().invoke(cli, list(args), env=env)


def test_db_upgrade_is_idempotent(app):
    result = run(app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_ensure_admin_prints_a_generated_password_once(app):
    env = {"ASSESSMENT_ADMIN_EMAIL": "boss@port.example", "ASSESSMENT_ADMIN_PASSWORD": ""}
    first = run(app, "user", "ensure-admin", env=env)
    assert first.exit_code == 0, first.output
    assert "Password (shown only this once)" in first.output
    second = run(app, "user", "ensure-admin", env=env)
    assert "exists" in second.output
    assert "Password" not in second.output
    with app.app_context():
        admin = get_session().scalar(select(User).where(User.email == "boss@port.example"))
        assert admin.is_admin


def test_ensure_admin_takes_the_password_from_the_environment(app, client):
    env = {
        "ASSESSMENT_ADMIN_EMAIL": "boss@port.example",
        "ASSESSMENT_ADMIN_PASSWORD": "harbour lights at dawn",
    }
    result = run(app, "user", "ensure-admin", env=env)
    assert "shown only" not in result.output
    assert client.login("boss@port.example", "harbour lights at dawn").status_code == 302


def test_user_create(app, people):
    result = run(
        app,
        "user",
        "create",
        "--email",
        "cli@aldport.example",
        "--name",
        "Cli",
        "--organisation",
        "Port of Aldport",
        "--password",
        "a sturdy passphrase",
    )
    assert result.exit_code == 0, result.output
    bad = run(
        app,
        "user",
        "create",
        "--email",
        "x@y.example",
        "--name",
        "X",
        "--organisation",
        "Nowhere",
        "--password",
        "a sturdy passphrase",
    )
    assert bad.exit_code != 0
    assert "no organisation called 'Nowhere'" in bad.output


def test_questionnaire_import_is_idempotent_and_refuses_silent_changes(app, tmp_path):
    source = tmp_path / "mini.yaml"
    source.write_text(MINI_SET)
    first = run(app, "questionnaire", "import", str(source))
    assert first.exit_code == 0, first.output
    assert "imported" in first.output
    second = run(app, "questionnaire", "import", str(source))
    assert "already loaded, unchanged" in second.output
    source.write_text(MINI_SET.replace("How old is it?", "How old is the system?"))
    changed = run(app, "questionnaire", "import", str(source))
    assert changed.exit_code == 1
    assert "already loaded with different content" in changed.output
    with app.app_context():
        assert get_session().scalar(select(func.count(QuestionSetVersion.id))) == 1


def test_questionnaire_export_writes_the_stored_text(app, tmp_path):
    source = tmp_path / "mini.yaml"
    source.write_text(MINI_SET)
    run(app, "questionnaire", "import", str(source))
    out = tmp_path / "out.yaml"
    result = run(app, "questionnaire", "export", "mini", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text() == MINI_SET


MINI_SET = """\
schema_version: 1
id: mini
version: 1
title: Mini
mitigations:
  - {id: replace, title: Replace it, how: Buy a new one., effort: high, horizon: 12_months}
sections:
  - id: only
    title: Only section
    questions:
      - id: age
        type: number
        text: How old is it?
        better: lower
        thresholds: [{value: 5, score: 1}]
        weakness: {title: Old system, severity: low, why: Old systems break.}
        mitigations: [replace]
"""

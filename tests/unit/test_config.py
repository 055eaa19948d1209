from __future__ import annotations

import os
import stat

import pytest

from assessment import create_app
from assessment.config import write_secret_file


def test_the_app_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("ASSESSMENT_SECRET_KEY", raising=False)
    monkeypatch.delenv("ASSESSMENT_SECRET_KEY_FILE", raising=False)
    with pytest.raises(RuntimeError, match="No secret key"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_a_short_secret_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSESSMENT_SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="at least 32"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_settings_come_from_prefixed_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSESSMENT_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ASSESSMENT_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("ASSESSMENT_SESSION_HOURS", "4")
    app = create_app()
    assert app.config["DATABASE_URL"].endswith("env.db")
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 4 * 3600
    app.extensions["db_engine"].dispose()


def test_the_secret_file_is_private_and_kept(monkeypatch, tmp_path):
    path = tmp_path / "instance" / "secret_key"
    assert write_secret_file(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    first = path.read_text()
    assert not write_secret_file(path)
    assert path.read_text() == first
    monkeypatch.delenv("ASSESSMENT_SECRET_KEY", raising=False)
    monkeypatch.setenv("ASSESSMENT_SECRET_KEY_FILE", str(path))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"] == first.strip()
    app.extensions["db_engine"].dispose()


def test_the_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSESSMENT_SECRET_KEY", "s" * 40)
    monkeypatch.delenv("ASSESSMENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("ASSESSMENT_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/port-assess.db"
    app.extensions["db_engine"].dispose()

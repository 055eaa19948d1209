from __future__ import annotations

import pytest

from assessment import paths


def test_templates_and_questionnaires_are_found_in_the_checkout():
    assert (paths.templates_dir() / "base.html").is_file()
    assert (paths.questionnaires_dir() / "README.md").is_file()


def test_environment_override_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSESSMENT_QUESTIONNAIRES_DIR", str(tmp_path))
    assert paths.questionnaires_dir() == tmp_path


def test_a_missing_folder_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path / "pkg")
    with pytest.raises(RuntimeError, match="cannot find the templates/ folder"):
        paths.templates_dir()

"""port-assess: a cybersecurity self-assessment for ports."""

from __future__ import annotations


def create_app(test_config: dict | None = None):
    """Build the Flask app; the real factory lives in ``assessment.app``. Imported here, not
    at the top: ``import assessment`` (the pure question-set and scoring code, the CLI's file
    commands) then costs nothing of Flask, the database or WeasyPrint."""
    from .app import create_app as _create_app

    return _create_app(test_config)

"""port-assess: a cybersecurity self-assessment for ports."""

from __future__ import annotations


def create_app(test_config: dict | None = None):
    """Build the Flask app; the real factory lives in ``assessment.app``."""
    from .app import create_app as _create_app

    return _create_app(test_config)

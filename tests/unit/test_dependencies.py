"""Installed dependencies are at least the versions that fix the advisories we know of.

A floor in pyproject.toml stops a fresh install below it; this test also stops an old
environment (or a hand-pinned one) from passing the suite.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from packaging.version import Version

FLOORS = {
    # CVE-2026-55073: attachments and XMP metadata ignored the URL fetcher (fixed in 70.0);
    # GHSA-983w-rhvv-gwmv: redirects bypassed the fetcher (68.0).
    "weasyprint": "70.0",
    # CVE-2024-49767: multipart parsing memory exhaustion (3.0.6); CVE-2025-66221 (3.1.4).
    "werkzeug": "3.1.4",
    # CVE-2025-27516: sandbox escape through the attr filter (3.1.6).
    "jinja2": "3.1.6",
    "flask": "3.1.0",
    # CVE-2020-14343: full_load arbitrary code execution (5.4); we use a SafeLoader anyway.
    "pyyaml": "6.0.1",
    "sqlalchemy": "2.0.0",
}


@pytest.mark.parametrize(("package", "floor"), sorted(FLOORS.items()))
def test_installed_version_is_at_least_the_fixed_one(package, floor):
    assert Version(version(package)) >= Version(floor), (
        f"{package} {version(package)} is older than {floor}, which fixes a known advisory"
    )

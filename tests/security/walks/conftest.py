"""Walks: modules whose tests only read the attacked world (or check that nothing changed),
so each module builds one world per database backend and every test walks it."""

from __future__ import annotations

import pytest

from ...conftest import report_worker


@pytest.fixture(scope="module")
def app(walk_app):
    return walk_app


@pytest.fixture(scope="module")
def world(shared_world):
    return shared_world


@pytest.fixture(scope="module")
def worker(walk_app):
    """A report worker on the module's app, for the walks that read PDFs."""
    with report_worker(walk_app):
        yield

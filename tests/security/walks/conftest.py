"""Walks: modules whose tests only read the attacked world (or check that nothing changed),
so each module builds one world per database backend and every test walks it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def app(walk_app):
    return walk_app


@pytest.fixture(scope="module")
def world(shared_world):
    return shared_world

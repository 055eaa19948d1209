"""One JSON line per request on ``assessment.requests``: who, which route, status, time; never
what was typed, never the query string."""

from __future__ import annotations

import json

import pytest

from assessment.web.common.request_log import FIELDS, LOGGER_NAME

from .test_assessments import open_section, save, start

SECRET_COMMENT = "Gate 4 PLC password is on a sticky note"
SECRET_QUERY = "needle-in-query"


@pytest.fixture
def lines(caplog):
    """The request lines written so far, parsed."""
    caplog.set_level("INFO", logger=LOGGER_NAME)

    def read() -> list[dict]:
        records = [r for r in caplog.records if r.name == LOGGER_NAME]
        return [json.loads(r.getMessage()) for r in records]

    return read


def test_a_saved_section_logs_exactly_the_fields_and_nothing_typed(
    client, app, people, scoring_set, lines, caplog
):
    client.login(people.officer_a)
    assessment_id = start(client)
    form = open_section(client, assessment_id, "a").set("a:a1", "partly")
    form.set("c:a1", SECRET_COMMENT).set("a:a2", "3")
    caplog.clear()
    response = save(client, assessment_id, "a", form)
    assert response.status_code == 302
    (line,) = lines()
    assert tuple(line) == FIELDS
    assert line["method"] == "POST"
    assert line["endpoint"] == "assessments.section"
    assert line["route"] == "/assessments/<int:assessment_id>/sections/<section_id>"
    assert line["status"] == 302
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["organisation_id"] == people.org_a
    assert isinstance(line["user_id"], int)
    everything = caplog.text
    assert SECRET_COMMENT not in everything
    assert "partly" not in everything
    assert "Annual check" not in everything  # the assessment's title


def test_the_query_string_and_the_path_are_not_logged(client, people, lines, caplog):
    client.login(people.admin)
    caplog.clear()
    assert client.get(f"/admin/audit?actor={SECRET_QUERY}").status_code == 200
    (line,) = lines()
    assert line["route"] == "/admin/audit"
    assert line["organisation_id"] is None  # an administrator belongs to none
    assert line["user_id"] is not None
    assert SECRET_QUERY not in caplog.text


def test_anonymous_and_unknown_routes_are_logged_without_a_user(client, lines, caplog):
    client.get("/no/such/page?x=1")
    client.get("/login")
    unknown, login = lines()
    assert (unknown["status"], unknown["endpoint"], unknown["route"]) == (404, None, None)
    assert "/no/such/page" not in caplog.text
    assert (login["endpoint"], login["user_id"], login["organisation_id"]) == (
        "auth.login",
        None,
        None,
    )


def test_healthz_is_logged_only_when_it_fails(client, lines):
    assert client.get("/healthz").status_code == 200
    assert lines() == []

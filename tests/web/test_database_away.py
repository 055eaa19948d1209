"""While the database is away (restarting, unreachable), pages answer 503 with the app's own
headers and a plain message, never a bare 500 from the server in front."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from assessment.db import make_engine

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"


def test_a_logged_in_page_is_a_503_with_headers_while_the_database_is_away(app, client, people):
    client.login(people.officer_a)
    working = app.extensions["db_sessionmaker"]
    away = make_engine(UNREACHABLE)
    app.extensions["db_sessionmaker"] = sessionmaker(away, expire_on_commit=False)
    try:
        page = client.get("/assessments/")
        json = client.get("/assessments/", headers={"Accept": "application/json"})
    finally:
        app.extensions["db_sessionmaker"] = working
        away.dispose()
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert "Content-Security-Policy" in page.headers
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    text = page.get_data(as_text=True)
    assert "The database cannot be reached just now. Nothing was lost" in text
    assert "Log out" not in text  # nobody can be shown as logged in
    assert json.status_code == 503
    assert json.get_json()["error"] == "Not available right now"
    # Back again: the same session works, nothing to log in again for.
    assert client.get("/assessments/").status_code == 200

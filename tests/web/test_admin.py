"""Administration of organisations and users; officers are kept out."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assessment.db import get_session
from assessment.models import AuditEvent, Organisation, User

ADMIN_PAGES = [
    "/admin/",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/users",
    "/admin/users/new",
    "/admin/audit",
]


@pytest.fixture
def admin(client, people):
    client.login(people.admin)
    return client


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_officers_get_403_on_admin_pages(client, people, page):
    client.login(people.officer_a)
    assert client.get(page).status_code == 403


def test_officers_cannot_post_to_admin_pages(app, client, people):
    client.login(people.officer_a)
    token = client.csrf_token("/account/password")
    response = client.post(
        "/admin/organisations/new",
        data={"name": "Evil Port", "kind": "terminal", "country": "NL", "csrf_token": token},
    )
    assert response.status_code == 403
    with app.app_context():
        assert (
            get_session().scalar(select(Organisation).where(Organisation.name == "Evil Port"))
            is None
        )


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_creates_and_edits_an_organisation(app, admin):
    response = admin.submit(
        "/admin/organisations/new",
        {"name": "Port of Cedarhaven", "kind": "port_facility", "country": "DE"},
    )
    assert response.status_code == 302
    listing = admin.get("/admin/organisations").get_data(as_text=True)
    assert "Port of Cedarhaven" in listing
    with app.app_context():
        org = get_session().scalar(
            select(Organisation).where(Organisation.name == "Port of Cedarhaven")
        )
        assert (org.kind, org.country) == ("port_facility", "DE")
    page = f"/admin/organisations/{org.id}/edit"
    assert "Port of Cedarhaven" in admin.get(page).get_data(as_text=True)
    admin.submit(page, {"name": "Port of Cedarhaven North", "kind": "terminal", "country": "DE"})
    with app.app_context():
        org = get_session().get(Organisation, org.id)
        assert (org.name, org.kind) == ("Port of Cedarhaven North", "terminal")
        actions = get_session().scalars(select(AuditEvent.action)).all()
        assert {"organisation.create", "organisation.update"} <= set(actions)


def test_duplicate_organisation_name_is_refused_with_a_message(admin, people):
    response = admin.submit(
        "/admin/organisations/new", {"name": "port of aldport", "kind": "terminal", "country": "NL"}
    )
    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)


def test_organisation_form_rejects_unknown_choices(admin):
    response = admin.submit(
        "/admin/organisations/new", {"name": "X", "kind": "castle", "country": "ZZ"}
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_admin_creates_an_officer_who_can_log_in(app, admin, people, make_client):
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "new.officer@aldport.example",
            "display_name": "New Officer",
            "role": "officer",
            "organisation_id": str(people.org_a),
            "password": "",
        },
    )
    assert response.status_code == 302
    flashed = admin.get("/admin/users").get_data(as_text=True)
    password = re.search(r"shown only now: ([a-z0-9-]+)", flashed).group(1)
    newcomer = make_client()
    assert newcomer.login("new.officer@aldport.example", password).status_code == 302
    with app.app_context():
        user = get_session().scalar(select(User).where(User.email == "new.officer@aldport.example"))
        assert user.organisation_id == people.org_a
        assert user.password_hash.startswith("$argon2id$")


def test_an_officer_needs_an_organisation(admin):
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "lost@nowhere.example",
            "display_name": "Lost",
            "role": "officer",
            "organisation_id": "0",
            "password": "a perfectly fine passphrase",
        },
    )
    assert response.status_code == 200
    assert "belongs to an organisation" in response.get_data(as_text=True)


def test_short_password_is_refused_when_creating_a_user(admin, people):
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "short@aldport.example",
            "display_name": "Short",
            "role": "officer",
            "organisation_id": str(people.org_a),
            "password": "tooshort",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.get_data(as_text=True)


def test_moving_an_officer_to_another_organisation_ends_their_session(
    app, admin, people, make_client
):
    officer = make_client()
    officer.login(people.officer_a)
    with app.app_context():
        user = get_session().scalar(select(User).where(User.email == people.officer_a))
    admin.submit(
        f"/admin/users/{user.id}/edit",
        {
            "email": people.officer_a,
            "display_name": "Moved",
            "role": "officer",
            "organisation_id": str(people.org_b),
            "password": "",
        },
    )
    assert officer.get("/account/password").status_code == 302


def test_confirmation_page_comes_before_deactivation(app, admin, people):
    with app.app_context():
        user = get_session().scalar(select(User).where(User.email == people.officer_b))
    page = admin.get(f"/admin/users/{user.id}/active").get_data(as_text=True)
    assert "They are logged out at once" in page
    with app.app_context():
        assert get_session().get(User, user.id).active  # looking changed nothing


def test_admin_cannot_deactivate_themselves(app, admin, people):
    with app.app_context():
        me = get_session().scalar(select(User).where(User.email == people.admin))
    admin.submit(f"/admin/users/{me.id}/active")
    with app.app_context():
        assert get_session().get(User, me.id).active


def test_unknown_ids_give_404(admin):
    assert admin.get("/admin/users/99999/edit").status_code == 404
    assert admin.get("/admin/organisations/99999/edit").status_code == 404


def test_user_listing_filters_by_organisation(admin, people):
    page = admin.get(f"/admin/users?organisation={people.org_b}").get_data(as_text=True)
    assert people.officer_b in page
    assert people.officer_a not in page


def test_admin_text_is_escaped(admin):
    admin.submit(
        "/admin/organisations/new",
        {"name": "<script>alert(1)</script>", "kind": "terminal", "country": "NL"},
    )
    page = admin.get("/admin/organisations").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_empty_state_explains_what_to_do(admin):
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "organisation.create" in page  # the people fixture's organisations are logged

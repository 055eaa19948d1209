"""Extra form fields (organisation_id, role, status, user_id, revision, ...) are
ignored by every form that writes: only the fields a form offers reach the database.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from assessment.models import AnswerRecord, Assessment, Organisation, User

from ..conftest import PASSWORD
from ..forms import Form
from .helpers import (
    changed_rows,
    changed_tables,
    open_section,
    row,
    section_url,
    snapshot,
    token_of,
    with_token,
)


def extras(world) -> dict[str, str]:
    """What an attacker adds to any form: B's organisation and user, admin, final, forged ids."""
    return {
        "organisation_id": str(world.org_b),
        "port_id": str(world.org_b),
        "role": "admin",
        "status": "completed",
        "user_id": str(world.user_ids["officer_b"]),
        "revision": "99",
        "created_by_id": str(world.user_ids["officer_b"]),
        "updated_by_id": str(world.user_ids["officer_b"]),
        "assessment_id": str(world.b_open),
        "based_on_id": str(world.b_open),
        "active": "0",
        "is_admin": "1",
        "id": "1",
    }


def test_start_form_ignores_extra_fields(app, world):
    officer = world.officer_a
    form = Form(officer.get("/assessments/new").get_data(as_text=True), "start-form")
    form.set("title", "Mass assignment").set("scope", "Scope")
    fields = form.fields + [(k, v) for k, v in extras(world).items() if k not in dict(form.fields)]
    before = snapshot(app)
    response = officer.post("/assessments/new", data=MultiDict(fields))
    assert response.status_code == 302
    created = int(response.headers["Location"].split("/")[2])
    after = snapshot(app)
    assert set(changed_tables(before, after)) <= {"assessment", "audit_event"}
    assert changed_rows(before, after, "assessment") == {created}
    made = row(app, Assessment, created)
    assert made.organisation_id == world.org_a
    assert made.status == "in_progress"
    assert made.revision == 0
    assert made.created_by_id == made.updated_by_id == world.user_ids["officer_a"]
    assert made.based_on_id is None


def test_section_save_and_autosave_ignore_extra_fields(app, world):
    officer = world.officer_a
    old = row(app, Assessment, world.a_open)
    for suffix, answer in (("", "yes"), ("/autosave", "partly")):
        form = open_section(officer, world.a_open, "a").set("a:a1", answer)
        before = snapshot(app)
        response = officer.post(
            section_url(world.a_open, "a") + suffix, data=form.data(**extras(world))
        )
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
        after = snapshot(app)
        assert set(changed_tables(before, after)) <= {"assessment", "answer"}
        assert changed_rows(before, after, "assessment") == {world.a_open}
    now = row(app, Assessment, world.a_open)
    assert (now.organisation_id, now.status) == (world.org_a, "in_progress")
    assert now.revision == old.revision + 2  # one per save, not 99
    assert now.updated_by_id == world.user_ids["officer_a"]
    assert now.question_set_version_id == old.question_set_version_id
    with app.app_context():
        from assessment.db import get_session

        record = (
            get_session()
            .query(AnswerRecord)
            .filter_by(assessment_id=world.a_open, question_id="a1")
            .one()
        )
        assert (record.value, record.updated_by_id) == ("partly", world.user_ids["officer_a"])


def test_lifecycle_forms_ignore_extra_fields(app, world):
    officer = world.officer_a
    before = snapshot(app)
    token = token_of(officer)
    data = with_token(extras(world) | {"status": "in_progress", "version": "0"}, token)
    assert officer.post(f"/assessments/{world.a_open}/complete", data=data).status_code == 302
    after = snapshot(app)
    assert changed_rows(before, after, "assessment") == {world.a_open}
    done = row(app, Assessment, world.a_open)
    assert (done.status, done.organisation_id) == ("completed", world.org_a)
    assert done.completed_by_id == world.user_ids["officer_a"]
    assert changed_rows(before, after, "user_account") == set()


def test_password_form_ignores_extra_fields(app, world):
    officer = world.officer_a
    a_id = world.user_ids["officer_a"]
    old = row(app, User, a_id)
    new = "an entirely fresh passphrase"
    data = {"current_password": PASSWORD, "new_password": new, "confirm": new} | extras(world)
    data |= {"email": "owned@evil.example", "display_name": "Owned", "session_nonce": "x"}
    data |= {"mfa_secret": "JBSWY3DPEHPK3PXP", "recovery_codes": "[]"}
    before = snapshot(app)
    response = officer.post("/account/password", data=with_token(data, token_of(officer)))
    assert response.status_code == 302
    after = snapshot(app)
    assert changed_rows(before, after, "user_account") == {a_id}  # not B's
    now = row(app, User, a_id)
    assert (now.email, now.display_name, now.role) == (old.email, old.display_name, "officer")
    assert (now.organisation_id, now.active) == (world.org_a, True)
    assert now.mfa_secret is None
    assert now.password_hash != old.password_hash  # the one change the form offers


def test_mfa_enrolment_ignores_extra_fields(app, world):
    from .routes import enrolment_code

    officer = world.officer_a
    token = token_of(officer, "/account/mfa")
    data = {"code": enrolment_code(officer)} | extras(world)
    data |= {"mfa_secret": "JBSWY3DPEHPK3PXP", "secret": "JBSWY3DPEHPK3PXP", "email": "x@y.z"}
    before = snapshot(app)
    response = officer.post("/account/mfa", data=with_token(data, token))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    after = snapshot(app)
    assert changed_rows(before, after, "user_account") == {world.user_ids["officer_a"]}
    now = row(app, User, world.user_ids["officer_a"])
    assert now.mfa_secret != "JBSWY3DPEHPK3PXP"
    assert (now.role, now.organisation_id, now.email) == (
        "officer",
        world.org_a,
        world.people.officer_a,
    )


def test_admin_user_forms_ignore_extra_fields(app, world):
    admin, b_id = world.admin, world.user_ids["officer_b"]
    old = row(app, User, b_id)
    data = {
        "email": world.people.officer_b,
        "display_name": "Officer B renamed",
        "role": "officer",
        "organisation_id": str(world.org_b),
        "password": "",
        "active": "0",
        "session_nonce": "planted",
        "password_hash": "plain",
        "mfa_secret": "JBSWY3DPEHPK3PXP",
        "id": str(world.user_ids["admin"]),
        "user_id": str(world.user_ids["officer_a"]),
    }
    page = f"/admin/users/{b_id}/edit"
    before = snapshot(app)
    assert admin.post(page, data=with_token(data, token_of(admin, page))).status_code == 302
    after = snapshot(app)
    assert changed_rows(before, after, "user_account") == {b_id}
    now = row(app, User, b_id)
    assert now.display_name == "Officer B renamed"
    assert (now.active, now.session_nonce, now.password_hash) == (
        True,
        old.session_nonce,
        old.password_hash,
    )
    assert now.mfa_secret is None

    data |= {"email": "new.officer@bexley.example", "display_name": "New"}
    response = admin.post("/admin/users/new", data=with_token(data, token_of(admin, page)))
    assert response.status_code == 302
    with app.app_context():
        from assessment.db import get_session
        from assessment.services.users import find_by_email

        made = find_by_email(get_session(), "new.officer@bexley.example")
        assert made.active
        assert made.id not in world.user_ids.values()
        assert made.session_nonce != "planted"
        assert made.password_hash != "plain"
        assert made.mfa_secret is None


def test_admin_organisation_forms_ignore_extra_fields(app, world):
    admin = world.admin
    page = f"/admin/organisations/{world.org_b}/edit"
    data = {"name": "Bexley renamed", "kind": "terminal", "country": "BE"}
    data |= {"active": "0", "id": str(world.org_a), "organisation_id": str(world.org_a)}
    before = snapshot(app)
    assert admin.post(page, data=with_token(data, token_of(admin, page))).status_code == 302
    after = snapshot(app)
    assert changed_rows(before, after, "organisation") == {world.org_b}
    assert row(app, Organisation, world.org_b).active
    assert row(app, Organisation, world.org_a).name == "Port of Aldport"

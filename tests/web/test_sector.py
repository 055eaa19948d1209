"""The sector view over HTTP: who may see it, the sharing switch and its audit, suppression
below k organisations, opted-out organisations leaving at once, the officer's comparison, the
CSV and JSON files, and the analyst refused everywhere else."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from assessment.cli import cli
from assessment.db import get_session
from assessment.models import AuditEvent, Organisation, QuestionSetVersion, User
from assessment.services import organisations, sector, sector_data
from assessment.services.records import question_set_of
from assessment.services.sector_seed import seed_sector

from ..conftest import ANALYST, PASSWORD, make_analyst


@pytest.fixture
def analyst(app, make_client):
    make_analyst(app)
    client = make_client()
    assert client.login(ANALYST).status_code == 302
    return client


def seed(app, version_id: int, count: int, first: int = 1, **options) -> list[int]:
    with app.app_context():
        session = get_session()
        version = session.get(QuestionSetVersion, version_id)
        return seed_sector(
            session, version, count, first=first, fast_hash=True, **options
        ).organisations


def set_sharing(app, organisation_id: int, share: bool) -> None:
    with app.app_context():
        sector_data.set_sharing(get_session(), None, organisation_id, share)


def logged_in(make_client, email: str):
    client = make_client()
    assert client.login(email).status_code == 302
    return client


# Roles


def test_the_cli_creates_an_analyst_without_an_organisation(app, people):
    runner = app.test_cli_runner()
    made = runner.invoke(
        cli,
        ["user", "create", "--email", "a@x.example", "--name", "A", "--role", "analyst"],
        env={"PORT_ASSESS_PASSWORD": PASSWORD},
    )
    assert made.exit_code == 0, made.output
    assert "Created analyst a@x.example" in made.output
    refused = runner.invoke(
        cli,
        ["user", "create", "--email", "b@x.example", "--name", "B", "--role", "analyst"]
        + ["--organisation", "Port of Aldport"],
        env={"PORT_ASSESS_PASSWORD": PASSWORD},
    )
    assert refused.exit_code != 0
    assert "belongs to no organisation" in refused.output


def test_an_analyst_must_enrol_a_second_factor_before_seeing_the_sector(app, people, make_client):
    make_analyst(app, enrolled=False)
    client = make_client()
    response = client.login(ANALYST)
    assert response.headers["Location"] == "/login/mfa/setup"
    assert client.get("/sector/").status_code == 302  # not logged in until enrolled
    app.config["MFA_REQUIRED_FOR_ADMINS"] = False  # the one setting covers both roles
    other = make_client()
    assert other.login(ANALYST).status_code == 302
    assert other.get("/sector/").status_code == 200


def test_the_admin_user_form_creates_an_analyst(app, people, make_client):
    admin = logged_in(make_client, people.admin)
    assert "Sector analyst" in admin.get("/admin/users/new").get_data(as_text=True)
    data = {"email": "new.analyst@x.example", "display_name": "New", "role": "analyst"}
    response = admin.submit(
        "/admin/users/new", data | {"organisation_id": "0", "password": PASSWORD}
    )
    assert response.status_code == 302
    with app.app_context():
        made = get_session().scalar(select(User).where(User.email == "new.analyst@x.example"))
        assert made.is_analyst
        assert made.organisation_id is None
    refused = admin.submit(
        "/admin/users/new",
        data | {"email": "other@x.example", "organisation_id": str(people.org_a), "password": ""},
    )
    assert "belongs to no organisation" in refused.get_data(as_text=True)


def test_an_analyst_lands_on_the_sector_view_and_has_no_assessments_link(app, people, analyst):
    assert analyst.get("/home").headers["Location"] == "/sector/"
    page = analyst.get("/sector/").get_data(as_text=True)
    assert "Sector view" in page
    assert 'href="/assessments/"' not in page


ORGANISATION_PAGES = [
    "/assessments/",
    "/assessments/new",
    "/assessments/sharing",
    "/admin/organisations",
    "/admin/users",
    "/admin/audit",
    "/admin/question-sets/",
]


def test_an_analyst_is_refused_every_organisation_page(app, people, scoring_set, analyst):
    """Every rule of the app outside /sector, the login and the account's own pages answers
    403 to an analyst, whatever it names (the walk of tests/security does this with real ids)."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/sector", "/static", "/login", "/logout", "/account")):
            continue
        if rule.rule in ("/", "/home", "/healthz"):
            continue
        values = {name: 1 for name in rule.arguments}
        values |= {n: "a" for n in ("section_id", "question_id", "entry_id", "type_name")}
        values |= {"kind": "mitigations", "action": "retire", "offset": 1}
        path = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        for method in {"GET", "POST"} & set(rule.methods):
            data = {"csrf_token": analyst.csrf_token("/account/password")}
            response = analyst.open(path, method=method, data=data)
            assert response.status_code == 403, f"{method} {path}: {response.status_code}"
    for path in ORGANISATION_PAGES:
        assert analyst.get(path).status_code == 403, path


def test_officers_are_refused_the_sector_view(app, people, make_client):
    officer = logged_in(make_client, people.officer_a)
    for path in ("/sector/", "/sector/figures.csv", "/sector/figures.json"):
        assert officer.get(path).status_code == 403, path
    assert 'href="/sector/"' not in officer.get("/assessments/").get_data(as_text=True)


# Sharing


def test_sharing_is_off_by_default_and_officers_switch_it_with_an_audit_entry(
    app, people, make_client
):
    officer = logged_in(make_client, people.officer_a)
    page = officer.get("/assessments/sharing").get_data(as_text=True)
    assert "does not share" in page
    assert officer.submit("/assessments/sharing", {"share": "on"}).status_code == 302
    assert officer.submit("/assessments/sharing", {"share": "on"}).status_code == 302  # again
    assert "shares" in officer.get("/assessments/sharing").get_data(as_text=True)
    assert officer.submit("/assessments/sharing", {"share": "off"}).status_code == 302
    with app.app_context():
        session = get_session()
        assert session.get(Organisation, people.org_a).share_with_sector is False
        assert session.get(Organisation, people.org_b).share_with_sector is False
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.startswith("organisation.sector_sharing"))
            .order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.actor_email, e.target) for e in events] == [
        ("organisation.sector_sharing_on", people.officer_a, f"organisation {people.org_a}"),
        ("organisation.sector_sharing_off", people.officer_a, f"organisation {people.org_a}"),
    ]


def test_a_sharing_request_without_a_state_or_token_changes_nothing(app, people, make_client):
    officer = logged_in(make_client, people.officer_a)
    assert officer.post("/assessments/sharing", data={"share": "on"}).status_code == 400
    assert officer.submit("/assessments/sharing", {"share": "maybe"}).status_code == 200
    assert officer.submit("/assessments/sharing", {}).status_code == 200
    with app.app_context():
        assert get_session().get(Organisation, people.org_a).share_with_sector is False


def test_administrators_switch_any_organisation_officers_none(app, people, make_client):
    admin = logged_in(make_client, people.admin)
    path = f"/admin/organisations/{people.org_b}/sharing"
    assert "does not share" in admin.get(path).get_data(as_text=True)
    assert admin.submit(path, {"share": "on"}).status_code == 302
    officer = logged_in(make_client, people.officer_a)
    assert (
        officer.submit(path, {"share": "off"}, form_page="/assessments/sharing").status_code == 403
    )
    with app.app_context():
        assert get_session().get(Organisation, people.org_b).share_with_sector is True
    assert "Sector sharing: on" in admin.get("/admin/organisations").get_data(as_text=True)


# The analyst's figures


def test_three_organisations_are_not_enough_five_are_and_one_opting_out_suppresses_again(
    app, people, scoring_set, analyst
):
    orgs = seed(app, scoring_set, 3)
    page = analyst.get(f"/sector/?version={scoring_set}").get_data(as_text=True)
    assert "Not enough organisations" in page
    assert 'id="group-size"' not in page
    orgs += seed(app, scoring_set, 2, first=4)
    page = analyst.get(f"/sector/?version={scoring_set}").get_data(as_text=True)
    assert "Not enough organisations" not in page.split('id="scores"')[0]
    assert "Based on <strong>5</strong> organisations" in page
    assert "A1?" in page  # the distribution of a question
    set_sharing(app, orgs[0], False)
    page = analyst.get(f"/sector/?version={scoring_set}").get_data(as_text=True)
    assert "Not enough organisations" in page
    assert "A1?" not in page


def test_a_deactivated_organisation_leaves_every_figure(app, people, scoring_set, analyst):
    orgs = seed(app, scoring_set, 5)
    assert "Based on <strong>5</strong>" in analyst.get("/sector/").get_data(as_text=True)
    with app.app_context():
        session = get_session()
        organisations.set_organisation_active(
            session, None, session.get(Organisation, orgs[2]), False
        )
    assert "Not enough organisations" in analyst.get("/sector/").get_data(as_text=True)


def test_no_name_comment_or_free_text_reaches_the_analyst(app, people, scoring_set, analyst):
    seed(app, scoring_set, 6)
    for path in ("/sector/", "/sector/figures.csv", "/sector/figures.json"):
        response = analyst.get(path)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        for secret in ("Seeded port", "seeded-port.invalid", "Seeded.", "Seeded officer"):
            assert secret not in body, (path, secret)
    csv = analyst.get("/sector/figures.csv")
    assert csv.headers["Content-Disposition"].startswith("attachment;")
    assert "section score" in csv.get_data(as_text=True)
    data = json.loads(analyst.get("/sector/figures.json").get_data(as_text=True))
    assert data["figures"]["organisations"] == 6
    assert data["about"]["min_group"] == 5


def test_a_filter_is_shown_only_where_its_complement_holds_k(app, people, scoring_set, analyst):
    seed(app, scoring_set, 10)  # kinds cycle: 3, 3, 2, 2 of the four types
    with app.app_context():
        session = get_session()
        session.execute(update(Organisation).values(kind="terminal", country="NL"))
        session.commit()
        ids = list(
            session.scalars(select(Organisation.id).where(Organisation.name.like("Seeded%")))
        )
        session.execute(
            update(Organisation).where(Organisation.id.in_(ids[:5])).values(kind="other")
        )
        session.commit()
    terminal = analyst.get("/sector/?kind=terminal").get_data(as_text=True)
    assert "Based on <strong>5</strong>" in terminal
    with app.app_context():
        session = get_session()
        session.execute(
            update(Organisation).where(Organisation.id == ids[0]).values(kind="terminal")
        )
        session.commit()  # terminals 6, others 4: the filter would leave 4 out
    terminal = analyst.get("/sector/?kind=terminal").get_data(as_text=True)
    assert "Not enough organisations" in terminal
    assert "Based on <strong>10</strong>" in analyst.get("/sector/").get_data(as_text=True)


def test_k_is_configurable_upward(app, people, scoring_set, analyst):
    seed(app, scoring_set, 6)
    assert "Based on <strong>6</strong>" in analyst.get("/sector/").get_data(as_text=True)
    app.config["SECTOR_MIN_GROUP"] = 7
    assert "Not enough organisations" in analyst.get("/sector/").get_data(as_text=True)


def test_opted_out_organisations_never_count(app, people, scoring_set):
    """Over random choices of who shares: what is loaded is exactly the sharing organisations'
    latest completed assessments, and the figures equal those computed from them alone."""
    orgs = seed(app, scoring_set, 8, share=False)
    with app.app_context():
        session = get_session()
        question_set = question_set_of(session.get(QuestionSetVersion, scoring_set))
        for org in orgs:
            sector_data.set_sharing(session, None, org, True)
        everyone = {
            c.organisation: c for c in sector_data.shared_contributions(session, scoring_set)
        }

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=15)
    @given(st.lists(st.booleans(), min_size=len(orgs), max_size=len(orgs)))
    def check(flags):
        with app.app_context():
            session = get_session()
            for org, flag in zip(orgs, flags, strict=True):
                session.execute(
                    update(Organisation)
                    .where(Organisation.id == org)
                    .values(share_with_sector=flag)
                )
            session.commit()
            loaded = sector_data.shared_contributions(session, scoring_set)
        sharing = {o for o, f in zip(orgs, flags, strict=True) if f}
        assert {c.organisation for c in loaded} == sharing
        expected = [everyone[o] for o in sorted(sharing)]
        assert sector.sector_figures(question_set, loaded) == sector.sector_figures(
            question_set, expected
        )

    check()


# The officer's comparison


def _completed(app, people, make_client, scoring_set) -> tuple[object, int]:
    from ..security.helpers import open_section, save_ok, start

    officer = logged_in(make_client, people.officer_a)
    made = start(officer, "Aldport 2026", question_set_version_id=scoring_set)
    save_ok(officer, made, "a", open_section(officer, made, "a").set("a:a1", "no"))
    assert officer.submit(f"/assessments/{made}/complete").status_code == 302
    return officer, made


def test_an_officer_who_does_not_share_is_told_so(app, people, scoring_set, make_client):
    seed(app, scoring_set, 6)
    officer, made = _completed(app, people, make_client, scoring_set)
    page = officer.get(f"/assessments/{made}/results").get_data(as_text=True)
    assert "does not share its results with the sector view" in page
    assert 'id="sector-sections"' not in page


def test_an_officer_who_shares_sees_the_sector_beside_their_scores(
    app, people, scoring_set, make_client
):
    officer, made = _completed(app, people, make_client, scoring_set)
    set_sharing(app, people.org_a, True)
    seed(app, scoring_set, 4)
    page = officer.get(f"/assessments/{made}/results").get_data(as_text=True)
    assert "at least 5 besides yours are needed" in page  # 4 others
    seed(app, scoring_set, 1, first=5)
    page = officer.get(f"/assessments/{made}/results").get_data(as_text=True)
    assert 'id="sector-sections"' in page
    assert "Sector median" in page
    assert "Seeded port" not in page


def test_the_officers_report_compares_with_the_sector_where_k_holds(
    app, people, scoring_set, make_client, worker
):
    from ..conftest import fetch_report
    from ..report.conftest import pages_text

    def report_text() -> str:
        pdf = fetch_report(officer, f"/assessments/{made}/report.pdf").data
        return " ".join(" ".join(pages_text(pdf)).split())

    officer, made = _completed(app, people, make_client, scoring_set)
    seed(app, scoring_set, 4)
    assert "Beside the sector" not in report_text()  # its organisation does not share
    set_sharing(app, people.org_a, True)
    text = report_text()  # a new report: the sector is part of what the report shows
    assert "Beside the sector" in text
    assert "at least 5 besides yours are needed" in text
    assert "Sector median" not in text
    seed(app, scoring_set, 1, first=5)  # five others: a new report, with the figures
    text = report_text()
    assert "Sector lower quartile" in text
    assert "Sector median" in text
    assert "Seeded port" not in text


# The sector report


def test_the_sector_report_pdf_is_made_by_a_worker_and_gone_with_its_state(
    app, people, scoring_set, analyst, worker
):
    from ..conftest import fetch_report

    orgs = seed(app, scoring_set, 5)
    response = fetch_report(analyst, f"/sector/report.pdf?version={scoring_set}")
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert b"Seeded port" not in response.data
    set_sharing(app, orgs[0], False)  # the figures are suppressed: no report of them
    assert analyst.get(f"/sector/report.pdf?version={scoring_set}").status_code == 404
    assert analyst.get(f"/sector/report?version={scoring_set}").status_code == 404

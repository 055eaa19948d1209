"""``port-assess organisation ...``: provisioning tenants by script, through the same services
(and audit log) as the administrator's pages. Changes are recorded as made by "system"."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from assessment.db import get_session
from assessment.models import ORGANISATION_KIND_LABELS
from assessment.report.plain_text import one_line
from assessment.services import organisations


@click.group(help="Organisations (the tenants: ports, terminals, port facilities).")
def organisation() -> None:
    pass


@organisation.command("create")
@click.option("--name", required=True)
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in ORGANISATION_KIND_LABELS]),
    default="port_authority",
)
@click.option("--country", required=True, help="ISO 3166 alpha-2 code, e.g. NL.")
@click.option("--require-mfa", is_flag=True, help="Its officers must use a second factor.")
@click.option("--exist-ok", is_flag=True, help="Succeed without change if the name exists.")
@with_appcontext
def organisation_create(
    name: str, kind: str, country: str, require_mfa: bool, exist_ok: bool
) -> None:
    """Create an organisation (names are unique whatever their case)."""
    session = get_session()
    try:
        data = organisations.checked_data(name, kind, country, require_mfa)
        if exist_ok and (found := organisations.find_by_name(session, data.name)):
            click.echo(f"Organisation {found.id} '{one_line(found.name)}' exists; unchanged.")
            return
        created = organisations.create_organisation(session, None, data)
    except organisations.OrganisationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created organisation {created.id} '{one_line(created.name)}'.")


@organisation.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@with_appcontext
def organisation_list(as_json: bool) -> None:
    """Every organisation by name, with its number of users."""
    rows = organisations.list_organisations(get_session())
    if as_json:
        click.echo(json.dumps([_row(org, users) for org, users in rows], indent=2))
        return
    click.echo(f"{'id':>6}  {'active':6}  {'users':>5}  {'kind':14}  cc  name")
    for org, users in rows:
        click.echo(
            f"{org.id:>6}  {'yes' if org.active else 'no':6}  {users:>5}  {org.kind:14}  "
            f"{org.country:2}  {one_line(org.name)}"
        )


def _row(org, users: int) -> dict:
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "active": org.active,
        "require_mfa": org.require_mfa,
        "users": users,
    }


@organisation.command("deactivate")
@click.argument("name")
@with_appcontext
def organisation_deactivate(name: str) -> None:
    """Lock out an organisation's officers; its assessments and answers are kept."""
    _set_active(name, False)


@organisation.command("activate")
@click.argument("name")
@with_appcontext
def organisation_activate(name: str) -> None:
    """Let a deactivated organisation's active officers log in again."""
    _set_active(name, True)


def _set_active(name: str, active: bool) -> None:
    session = get_session()
    org = organisations.find_by_name(session, name)
    if org is None:
        raise click.ClickException(f"no organisation called '{one_line(name)}'")
    label = f"Organisation {org.id} '{one_line(org.name)}'"
    if org.active == active:
        click.echo(f"{label} is already {'active' if active else 'inactive'}.")
        return
    organisations.set_organisation_active(session, None, org, active)
    click.echo(f"{label} {'activated' if active else 'deactivated'}.")

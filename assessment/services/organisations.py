"""Organisations: the tenants. Every assessment belongs to exactly one."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessment import db
from assessment.i18n import LANGUAGES
from assessment.limits import MAX_NAME
from assessment.models import ORGANISATION_KIND_LABELS, Organisation, User

from . import audit


def _sort_key(name: str) -> str:
    """The name without accents, as people look for it in a list."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


# ISO 3166 codes are stored; people read names (the common one where ISO's is formal: "Taiwan",
# "South Korea"), in name order.
COUNTRY_NAMES: dict[str, str] = dict(
    sorted(
        ((c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries),
        # "Åland Islands" among the A's, "Côte d'Ivoire" among the C's.
        key=lambda item: _sort_key(item[1]),
    )
)


def country_name(code: str | None) -> str:
    """The country's name for a stored code (an unknown code is shown as it is)."""
    return COUNTRY_NAMES.get(code or "", code or "")


@lru_cache(maxsize=16)
def country_names_in(locale: str) -> dict[str, str]:
    """Every country, as ``locale`` names it (CLDR through Babel; the English name above where
    CLDR has none, and for English itself), in that language's alphabetical order."""
    if locale.startswith("en"):
        return COUNTRY_NAMES
    territories = Locale.parse(locale).territories
    names = {code: territories.get(code) or english for code, english in COUNTRY_NAMES.items()}
    return dict(sorted(names.items(), key=lambda item: _sort_key(item[1])))


class OrganisationError(ValueError):
    """A change that cannot be made; the message is shown to the administrator."""


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: str
    country: str
    require_mfa: bool = False
    # The interface language of its users who have chosen none (None: their browser's).
    language: str | None = None


class NotFound(LookupError):
    """No such organisation (the page answers 404)."""


def checked_data(name: str, kind: str, country: str, require_mfa: bool = False) -> OrganisationData:
    """Organisation data from outside a form (the command line), checked as the admin form
    checks it: a name of 1 to MAX_NAME characters, a known kind, an ISO 3166 country code."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise OrganisationError(_("Give a name of 1 to %(max)s characters.", max=MAX_NAME))
    if kind not in ORGANISATION_KIND_LABELS:
        raise OrganisationError(
            _(
                "Unknown kind '%(kind)s': one of %(kinds)s.",
                kind=kind,
                kinds=", ".join(ORGANISATION_KIND_LABELS),
            )
        )
    code = country.strip().upper()
    if code not in COUNTRY_NAMES:
        raise OrganisationError(
            _("Unknown country '%(country)s': give an ISO 3166 code such as NL.", country=country)
        )
    return OrganisationData(name, kind, code, require_mfa)


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    found = session.get(Organisation, organisation_id)
    if found is None:
        raise NotFound(organisation_id)
    return found


def find_by_name(session: Session, name: str) -> Organisation | None:
    """The organisation with this name, whatever its case."""
    return session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    )


def by_name(session: Session, *, active_only: bool = False) -> list[Organisation]:
    """Organisations in name order (for choices and filters)."""
    query = select(Organisation).order_by(func.lower(Organisation.name))
    if active_only:
        query = query.where(Organisation.active)
    return list(session.scalars(query))


def list_organisations(session: Session) -> list[tuple[Organisation, int]]:
    """Every organisation with its number of users, by name."""
    counts = (
        select(User.organisation_id, func.count(User.id).label("n"))
        .group_by(User.organisation_id)
        .subquery()
    )
    rows = session.execute(
        select(Organisation, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .order_by(func.lower(Organisation.name))
    )
    return [(org, count) for org, count in rows]


def count_organisations(session: Session) -> int:
    return session.scalar(select(func.count(Organisation.id)))


def page_of_organisations(
    session: Session, offset: int, limit: int
) -> list[tuple[Organisation, int]]:
    """One page of ``list_organisations``' order (the id breaks ties, so pages never overlap),
    in one query: each listed organisation's users are counted on the index of
    ``user.organisation_id``, not every organisation's."""
    users = (
        select(func.count(User.id))
        .where(User.organisation_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Organisation, users)
        .order_by(func.lower(Organisation.name), Organisation.id)
        .offset(offset)
        .limit(limit)
    )
    return [(org, count) for org, count in rows]


def _check_unique_name(session: Session, name: str, own_id: int | None = None) -> None:
    clash = session.scalar(
        select(Organisation).where(
            func.lower(Organisation.name) == name.lower(), Organisation.id != (own_id or -1)
        )
    )
    if clash:
        raise _name_taken(clash.name)


def _name_taken(name: str) -> OrganisationError:
    return OrganisationError(_("An organisation called '%(name)s' already exists.", name=name))


def _check_language(language: str | None) -> None:
    """The form offers only the interface's languages; a script or an old page may not."""
    if language is not None and language not in LANGUAGES:
        raise OrganisationError(
            _("The interface has no language '%(language)s'.", language=language)
        )


@db.writes
def create_organisation(
    session: Session, actor: User | None, data: OrganisationData
) -> Organisation:
    _check_unique_name(session, data.name)
    _check_language(data.language)
    organisation = Organisation(
        name=data.name,
        kind=data.kind,
        country=data.country,
        require_mfa=data.require_mfa,
        language=data.language,
    )
    session.add(organisation)
    db.flush_unique(session, _name_taken(data.name))
    audit.record(
        session,
        actor,
        "organisation.create",
        f"organisation {organisation.id}",
        name=data.name,
        kind=data.kind,
        country=data.country,
        language=data.language,
    )
    session.commit()
    return organisation


@db.writes
def update_organisation(
    session: Session, actor: User, organisation: Organisation, data: OrganisationData
) -> None:
    _check_unique_name(session, data.name, organisation.id)
    _check_language(data.language)
    changes = {
        k: [getattr(organisation, k), v]
        for k, v in vars(data).items()
        if getattr(organisation, k) != v
    }
    for key, (_old, new) in changes.items():
        setattr(organisation, key, new)
    db.flush_unique(session, _name_taken(data.name))
    audit.record(
        session,
        actor,
        "organisation.update",
        f"organisation {organisation.id}",
        changes=changes or None,
    )
    session.commit()


@db.writes
def set_organisation_active(
    session: Session, actor: User | None, organisation: Organisation, active: bool
) -> None:
    """Deactivating an organisation locks out its officers; their data stays."""
    organisation.active = active
    audit.record(
        session,
        actor,
        "organisation.activate" if active else "organisation.deactivate",
        f"organisation {organisation.id}",
        name=organisation.name,
    )
    session.commit()

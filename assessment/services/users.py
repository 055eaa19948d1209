"""Accounts: creating, changing, deactivating, authenticating.

A password chosen by someone other than the account's holder (an administrator in the web
admin: ``actor`` is another user) must be replaced by the holder at their next login
(``User.must_change_password``), so the administrator does not go on knowing it. The command
line acts without an actor: its accounts are the operator's own (``user create``,
``user ensure-admin``) and are not forced.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload

from assessment import db, passwords
from assessment.i18n import LANGUAGES
from assessment.models import Organisation, Role, User, new_nonce, utcnow

from . import audit


class UserError(ValueError):
    """A change that cannot be made; the message is shown to the person making it, beside
    ``field`` (the form field it concerns) where there is one."""

    def __init__(self, message: str, field: str = "email"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class UserData:
    email: str
    display_name: str
    role: str
    organisation_id: int | None


def normalise_email(email: str) -> str:
    return email.strip().lower()


class NotFound(LookupError):
    """No such user (the page answers 404)."""


def get_user(session: Session, user_id: int) -> User:
    found = session.get(User, user_id)
    if found is None:
        raise NotFound(user_id)
    return found


# Built once: every request runs it, and building a statement costs about as much as running it.
_SESSION_USER = (
    select(User).where(User.id == bindparam("user_id")).options(joinedload(User.organisation))
)


def session_user(session: Session, user_id: int) -> User | None:
    """The user a request's cookie names, with their organisation in the same query: every
    page asks both (is the account active, is its organisation), so load them once."""
    return session.scalar(_SESSION_USER, {"user_id": user_id})


def _of_organisation(query, organisation_id: int | None):
    return query.where(User.organisation_id == organisation_id) if organisation_id else query


def list_users(session: Session, organisation_id: int | None = None) -> list[User]:
    """Users by e-mail, with their organisations loaded in the same query (no query per row)."""
    query = select(User).order_by(User.email).options(joinedload(User.organisation))
    return list(session.scalars(_of_organisation(query, organisation_id)))


def count_users(session: Session, organisation_id: int | None = None) -> int:
    """How many users ``list_users`` lists (of one organisation, or all)."""
    return session.scalar(_of_organisation(select(func.count(User.id)), organisation_id))


def page_of_users(
    session: Session, organisation_id: int | None, offset: int, limit: int
) -> list[User]:
    """One page of ``list_users``' order (the id breaks ties, so pages never overlap)."""
    query = (
        select(User)
        .order_by(User.email, User.id)
        .options(joinedload(User.organisation))
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(_of_organisation(query, organisation_id)))


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def generate_password() -> str:
    """A random password that passes the policy: 4 groups of 5 characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def _check(session: Session, data: UserData, own_id: int | None = None) -> None:
    if data.role not in set(Role):
        raise UserError(_("Choose a role: administrator, officer or sector analyst."), "role")
    if data.role == Role.OFFICER and data.organisation_id is None:
        raise UserError(_("An officer belongs to an organisation; choose one."), "organisation_id")
    if data.role == Role.ANALYST and data.organisation_id is not None:
        # An analyst in an organisation would read its own pages beside the sector's figures.
        raise UserError(_("A sector analyst belongs to no organisation."), "organisation_id")
    if data.organisation_id is not None and session.get(Organisation, data.organisation_id) is None:
        raise UserError(_("That organisation does not exist."), "organisation_id")
    clash = find_by_email(session, data.email)
    if clash and clash.id != own_id:
        raise UserError(
            _("An account with the e-mail %(email)s already exists.", email=clash.email)
        )


def create_user(
    session: Session,
    actor: User | None,
    data: UserData,
    password: str,
    *,
    fast_hash: bool = False,
    min_length: int = 12,
) -> User:
    problem = passwords.password_problem(password, min_length, email=data.email)
    if problem:
        raise UserError(problem, "password")
    password_hash = passwords.hash_password(password, fast_hash)  # slow: before the lock
    db.begin_write(session)
    _check(session, data)
    user = User(
        email=normalise_email(data.email),
        display_name=data.display_name.strip(),
        role=data.role,
        organisation_id=data.organisation_id,
        password_hash=password_hash,
        password_changed_at=utcnow(),
        must_change_password=actor is not None,
    )
    session.add(user)
    db.flush_unique(session, _email_taken(user.email))
    audit.record(
        session,
        actor,
        "user.create",
        f"user {user.id}",
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        must_change_password=user.must_change_password or None,
    )
    session.commit()
    return user


def update_user(
    session: Session,
    actor: User,
    user: User,
    data: UserData,
    *,
    password: str | None = None,
    fast_hash: bool = False,
    min_length: int = 12,
) -> None:
    """Change an account, and its password if one is given, in one transaction: nothing is
    changed when any part is refused."""
    password_hash = None
    if password:
        problem = passwords.password_problem(password, min_length, email=data.email)
        if problem:
            raise UserError(problem, "password")
        password_hash = passwords.hash_password(password, fast_hash)  # slow: before the lock
    db.begin_write(session)
    _check(session, data, user.id)
    if user.id == actor.id and data.role != Role.ADMIN:
        raise UserError(_("You cannot remove your own administrator role."), "role")
    new = {
        "email": normalise_email(data.email),
        "display_name": data.display_name.strip(),
        "role": data.role,
        "organisation_id": data.organisation_id,
    }
    changes = {k: [getattr(user, k), v] for k, v in new.items() if getattr(user, k) != v}
    for key, (_old, value) in changes.items():
        setattr(user, key, value)
    if "role" in changes or "organisation_id" in changes:
        user.session_nonce = new_nonce()  # a moved or demoted user logs in again
    if "display_name" in changes:
        _names_changed(session)
    db.flush_unique(session, _email_taken(user.email))
    audit.record(session, actor, "user.update", f"user {user.id}", changes=changes or None)
    if password_hash:
        _apply_password(session, actor, user, password_hash)
    session.commit()


def _names_changed(session: Session) -> None:
    """Pages that show who changed an answer keep their HTML per state of the assessment and
    per ``Organisation.names_revision``: a rename raises it everywhere, in SQL, in the rename's
    own transaction (renames are rare; a name shows wherever its holder ever answered)."""
    session.execute(update(Organisation).values(names_revision=Organisation.names_revision + 1))


@db.writes
def set_user_active(session: Session, actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise UserError(_("You cannot deactivate your own account."))
    user.active = active
    user.session_nonce = new_nonce()
    audit.record(
        session,
        actor,
        "user.activate" if active else "user.deactivate",
        f"user {user.id}",
        email=user.email,
    )
    session.commit()


def set_password(
    session: Session,
    actor: User | None,
    user: User,
    password: str,
    *,
    fast_hash: bool = False,
    min_length: int = 12,
) -> None:
    """Set a new password and end every existing session of the user.

    The holder changing their own password must choose a new one: keeping the password an
    administrator set would leave it known to the administrator. What was compared is what is
    replaced: the write happens only if the stored password is still the one checked here (an
    administrator may reset it meanwhile)."""
    problem = passwords.password_problem(password, min_length, email=user.email)
    if problem:
        raise UserError(problem, "password")
    by_self = actor is not None and actor.id == user.id
    replaces = None
    if by_self:
        replaces = user.password_hash
        if check_password(user, password):
            raise UserError(
                _("Choose a password different from the one your administrator set.")
                if user.must_change_password
                else _("The new password is your current one; choose a different one."),
                "password",
            )
    password_hash = passwords.hash_password(password, fast_hash)  # slow: before the lock
    db.begin_write(session)
    if not _apply_password(session, actor, user, password_hash, replaces=replaces):
        session.rollback()
        raise UserError(
            _("Your password was changed meanwhile, perhaps by an administrator. Log in again."),
            "password",
        )
    session.commit()


def _apply_password(
    session: Session,
    actor: User | None,
    user: User,
    password_hash: str,
    *,
    replaces: str | None = None,
) -> bool:
    """Store a new password, end the user's sessions and set or clear the forced change, in
    one UPDATE of the transaction (see the module docstring for who is forced). With
    ``replaces``, only if the stored hash is still that one; False if it was not."""
    forced = actor is not None and actor.id != user.id
    query = update(User).where(User.id == user.id)
    if replaces is not None:
        query = query.where(User.password_hash == replaces)
    changed = session.execute(
        query.values(
            password_hash=password_hash,
            password_changed_at=utcnow(),
            session_nonce=new_nonce(),
            must_change_password=forced,
        )
    )  # SQLAlchemy's "auto" synchronisation updates ``user`` in this session as well
    if changed.rowcount != 1:
        return False
    audit.record(
        session,
        actor,
        "user.password",
        f"user {user.id}",
        by_self=actor is not None and actor.id == user.id,
        must_change_password=forced or None,
    )
    return True


@db.writes
def end_sessions(session: Session, user: User) -> None:
    """Logout: every cookie issued to this user stops working."""
    user.session_nonce = new_nonce()
    session.commit()


def set_language(session: Session, user: User, language: str | None) -> None:
    """The user's own interface language (a key of ``i18n.LANGUAGES``); None follows their
    organisation's default, then their browser. One UPDATE of that column: nothing else of
    the account is read or decided on."""
    if language is not None and language not in LANGUAGES:
        raise UserError(
            _("The interface has no language '%(language)s'.", language=language[:20]),
            "language",
        )
    db.begin_write(session)
    session.execute(update(User).where(User.id == user.id).values(language=language))
    session.commit()  # "auto" synchronisation has set ``user.language`` in this session


def _email_taken(email: str) -> UserError:
    return UserError(_("An account with the e-mail %(email)s already exists.", email=email))


def check_password(user: User, password: str) -> bool:
    """Re-authentication for sensitive changes: the password only, no side effects."""
    return passwords.verify_password(user.password_hash, password[: passwords.MAX_LENGTH])


def authenticate(
    session: Session, email: str, password: str, *, fast_hash: bool = False
) -> User | None:
    """The active user with this e-mail and password, or None; same work either way."""
    user = find_by_email(session, email) if len(email) <= 254 else None
    if user is None:
        passwords.verify_password(passwords.DUMMY_HASH, password[: passwords.MAX_LENGTH])
        return None
    if not passwords.verify_password(user.password_hash, password[: passwords.MAX_LENGTH]):
        return None
    if not user.is_active:
        return None
    rehashed = None
    if passwords.needs_rehash(user.password_hash, fast_hash):
        rehashed = passwords.hash_password(password, fast_hash)
    db.begin_write(session)  # after the slow hashing: the writes below decide on nothing
    if rehashed:
        user.password_hash = rehashed
    user.last_login_at = utcnow()
    session.commit()
    return user


def ensure_admin(
    session: Session, email: str, password: str | None, *, fast_hash: bool = False
) -> tuple[User, str | None]:
    """The admin account for ``make run``: created once; returns a generated password once."""
    existing = find_by_email(session, email)
    if existing:
        return existing, None
    generated = None
    if not password:
        password = generated = generate_password()
    user = create_user(
        session,
        None,
        UserData(email, "Administrator", Role.ADMIN, None),
        password,
        fast_hash=fast_hash,
    )
    return user, generated

"""Multi-factor authentication with time-based one-time passwords (TOTP, RFC 6238).

ASVS 5.0 V6.3.3 asks for MFA at level 2. Administrators must use it; an administrator can
require it for the officers of an organisation. A code is accepted in the current 30-second
step or the one before or after (clock drift), and never twice: the last accepted step is kept.
Recovery codes are random, used once, and stored only as SHA-256 hashes (they carry 60 bits,
so a fast hash is enough).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import unicodedata
from datetime import datetime

import pyotp
import segno
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from assessment import db
from assessment.models import RecoveryCode, User, new_nonce, utcnow

from . import audit

ISSUER = "port-assess"
RECOVERY_CODES = 10
WINDOW = 1  # steps accepted either side of now
QR_QUIET_ZONE = 4  # modules of white around the QR code (ISO/IEC 18004)


class MfaError(ValueError):
    """The code was not right, or the change is not allowed; the message says which."""


def is_required(user: User, *, admins_must: bool) -> bool:
    """Administrators and sector analysts see beyond one organisation (every port's answers;
    the sector's weak points), so the setting for administrators covers both; officers follow
    their organisation's choice."""
    if user.is_admin or user.is_analyst:
        return admins_must
    return bool(user.organisation and user.organisation.require_mfa)


def new_secret() -> str:
    return pyotp.random_base32()


def setup_secret(session: Session, user: User) -> str:
    """The secret to enrol with: the one this user was already shown, else a new one. It is
    kept in the database until a first code proves the app has it (not in the session cookie,
    which is signed but readable by whoever holds it); two pages opened at once get one."""
    if user.mfa_setup_secret:
        return user.mfa_setup_secret
    db.begin_write(session)
    session.execute(
        update(User)
        .where(User.id == user.id, User.mfa_setup_secret.is_(None))
        .values(mfa_setup_secret=new_secret())
        .execution_options(synchronize_session=False)
    )
    secret = session.scalar(select(User.mfa_setup_secret).where(User.id == user.id))
    session.commit()
    session.expire(user, ["mfa_setup_secret"])
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The enrolment QR code as inline SVG, drawn here: no request leaves the server.

    ISO/IEC 18004 asks for a quiet zone of 4 light modules around the symbol; phone scanners
    miss codes with less, or whose light parts are the page's grey (segno leaves them
    transparent unless given a colour)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        scale=5,
        border=QR_QUIET_ZONE,
        light="#fff",
        title=_("QR code for your authenticator app"),  # in the page's language
    )
    # segno's SVG holds only the QR modules and our own title: no user text (segno escapes
    # the title; it is UTF-8, as a translated title may not be ASCII).
    return Markup(buffer.getvalue().decode("utf-8"))  # noqa: S704  # nosec B704


def _step(secret: str, code: str, after: int | None, now: datetime | None = None) -> int | None:
    """The time step a code belongs to, if it is valid and newer than ``after``."""
    totp = pyotp.TOTP(secret)
    moment = now or datetime.now()  # noqa: DTZ005 - pyotp works in local timestamps
    current = totp.timecode(moment)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _normalise(code: str) -> str:
    """Letters and digits only; full-width digits (East Asian keyboards) become digits."""
    code = unicodedata.normalize("NFKC", code).lower()
    return "".join(ch for ch in code if ch.isascii() and ch.isalnum())[:32]


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """(codes to show once, their hashes to store)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = [
        "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
        for _ in range(RECOVERY_CODES)
    ]
    return codes, [_hash(_normalise(c)) for c in codes]


def enable(session: Session, user: User, secret: str, code: str) -> list[str]:
    """Turn MFA on once the person proves their app works; returns the recovery codes."""
    step = _step(secret, _normalise(code), None)
    if step is None:
        raise MfaError(
            _("That code is not right. Check the time on your phone and try the current code.")
        )
    db.begin_write(session)
    enabled = session.execute(
        update(User)
        .where(User.id == user.id, User.mfa_enabled_at.is_(None))
        .values(
            mfa_secret=secret, mfa_enabled_at=utcnow(), mfa_last_step=step, mfa_setup_secret=None
        )
        .execution_options(synchronize_session=False)
    )
    if enabled.rowcount != 1:
        session.rollback()
        raise MfaError(_("Multi-factor authentication is already on for this account."))
    codes = _replace_recovery_codes(session, user)
    audit.record(session, user, "user.mfa_enable", f"user {user.id}")
    session.commit()
    session.expire(user)
    return codes


def verify(session: Session, user: User, code: str) -> bool:
    """Check a login code (TOTP or recovery code) and use it up.

    Using a code is one conditional write whose row count says whether this request used it:
    two logins sending the same code at the same instant cannot both be accepted."""
    code = _normalise(code)
    if not user.has_mfa or not code:
        return False
    db.begin_write(session)
    step = _step(user.mfa_secret, code, None)
    if step is not None:
        used = session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.mfa_last_step.is_(None), User.mfa_last_step < step),
            )
            .values(mfa_last_step=step)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        session.expire(user)
        return used.rowcount == 1
    used = session.execute(
        delete(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code)
        )
    )
    if used.rowcount != 1:
        session.rollback()
        return False
    left = codes_left(session, user)
    audit.record(session, user, "user.mfa_recovery_code", f"user {user.id}", left=left)
    session.commit()
    session.expire(user)
    return True


def codes_left(session: Session, user: User) -> int:
    """How many unused recovery codes the user has."""
    return session.scalar(
        select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id)
    )


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    """New codes replace every old one; returns the codes to show once."""
    codes, hashes = new_recovery_codes()
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(insert(RecoveryCode), [{"user_id": user.id, "code_hash": h} for h in hashes])
    session.expire(user, ["recovery_codes"])
    return codes


def regenerate_recovery_codes(session: Session, user: User) -> list[str]:
    db.begin_write(session)
    codes = _replace_recovery_codes(session, user)
    audit.record(session, user, "user.mfa_recovery_codes", f"user {user.id}")
    session.commit()
    return codes


@db.writes
def disable(session: Session, actor: User, user: User, *, required: bool) -> None:
    """Turn MFA off (the caller has checked the password again and says whether MFA is
    required for this user under the app's settings)."""
    if required:
        raise MfaError(
            _(
                "Multi-factor authentication is required for your account and cannot be "
                "switched off. You can set it up again on a new phone instead."
            )
        )
    _clear(user)
    audit.record(session, actor, "user.mfa_disable", f"user {user.id}")
    session.commit()


@db.writes
def reset(session: Session, admin: User, user: User) -> None:
    """An administrator clears a user's MFA (lost phone): they set it up at the next login
    if it is required, and all their sessions end."""
    _clear(user)
    user.session_nonce = new_nonce()
    audit.record(session, admin, "user.mfa_reset", f"user {user.id}", email=user.email)
    session.commit()


def _clear(user: User) -> None:
    user.mfa_secret = user.mfa_enabled_at = user.mfa_last_step = user.mfa_setup_secret = None
    user.recovery_codes.clear()

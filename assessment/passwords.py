"""Password hashing (Argon2id) and the password policy.

Policy from NIST SP 800-63B and OWASP ASVS 5.0 (V6.2): at least 12 characters, at most 256, no
composition rules, and not one of the commonly used passwords in ``common-passwords.txt``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MAX_LENGTH = 256
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only
_STRONG = PasswordHasher()  # argon2-cffi's RFC 9106 low-memory profile (Argon2id, 64 MiB)


def hasher(fast: bool = False) -> PasswordHasher:
    return _FAST if fast else _STRONG


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line)


def password_problem(password: str, min_length: int = 12, *, email: str = "") -> str | None:
    """Why a new password is refused, or None if it is acceptable."""
    if len(password) < min_length:
        return _(
            "Use at least %(min)s characters; a few unrelated words work well.", min=min_length
        )
    if len(password) > MAX_LENGTH:
        return _("Use at most %(max)s characters.", max=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return _("This password is too common or too easy to guess; choose another.")
    if email and lowered == email.lower():
        return _("Do not use your e-mail address as your password.")
    return None


def hash_password(password: str, fast: bool = False) -> str:
    return hasher(fast).hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True if the password matches; works for hashes made with either cost profile."""
    try:
        return _STRONG.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, fast: bool = False) -> bool:
    return hasher(fast).check_needs_rehash(stored_hash)


# Checked against when the account does not exist, so that both cases take the same time.
DUMMY_HASH = _STRONG.hash("not a real password: timing equaliser")

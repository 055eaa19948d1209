"""Limits on guessing secrets and on costly requests, counted where every worker sees them
(``ASSESSMENT_RATELIMIT_STORAGE_URI``: the app's database by default, or Redis).

Guesses (a password, a second-factor code) are counted here rather than with Flask-Limiter's
``deduct_when``, which checks the count before the view and adds to it after the response:
requests arriving together all pass the check, so a limit of 10 let more through. Here a guess
takes its place in the count before it is checked (one atomic increment in the storage) and
gives it back only if it was right. However many arrive at once, at most the limit's number of
wrong guesses are ever checked in a window; once it is spent, even the right secret is refused
until the window ends; right guesses cost nothing.

Every form that checks the account's password (login, password change, turning MFA off, new
recovery codes) spends the same two budgets, per account and per client address, so no form
adds guesses to another's.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from assessment.extensions import limiter
from assessment.services.users import normalise_email


@dataclass(frozen=True)
class Budget:
    """So many guesses (``setting``: the name of a limit in the config) of one ``kind`` for
    one ``key`` (an account, an address, a pending login)."""

    kind: str
    setting: str
    key: str

    @property
    def item(self) -> RateLimitItem:
        return parse(current_app.config[self.setting])

    @property
    def storage_key(self) -> str:
        return self.item.key_for("guess", self.kind, self.key)


def password_budgets(email: str) -> tuple[Budget, Budget]:
    """Password guesses: per client address, and per account (its normalised e-mail)."""
    return (
        Budget("password-address", "LOGIN_LIMIT_PER_ADDRESS", get_remote_address() or "-"),
        Budget("password-account", "LOGIN_LIMIT_PER_ACCOUNT", normalise_email(email)[:254]),
    )


def code_budgets(user_id: int) -> tuple[Budget, Budget]:
    """Second-factor code guesses: per client address, and per account."""
    return (
        Budget("code-address", "MFA_LIMIT", get_remote_address() or "-"),
        Budget("code-account", "MFA_LIMIT", str(user_id)),
    )


def take(*budgets: Budget) -> None:
    """Count a guess in each budget, in order; 429 as soon as one is spent (the later ones are
    then not counted: a refused address cannot wear down an account's budget)."""
    strategy = FixedWindowRateLimiter(limiter.storage)
    for budget in budgets:
        if not strategy.hit(budget.item, "guess", budget.kind, budget.key):
            current_app.logger.warning(
                "too many guesses (%s) for %s from %s", budget.kind, budget.key, request.remote_addr
            )
            raise TooManyRequests()


def give_back(*budgets: Budget) -> None:
    """The guess was right: it does not count."""
    storage = limiter.storage
    for budget in budgets:
        key = budget.storage_key
        if storage.get(key) > 0:
            storage.incr(key, budget.item.get_expiry(), amount=-1)


def _report_limit() -> str:
    return current_app.config["REPORT_LIMIT_PER_USER"]


def _report_key() -> str:
    """The person, not the session: logging out and in again does not start a new count."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


# Report renders are costly: one budget per person for every route that asks for one (the
# current report, a history report, an administrator's sample), so that one person cannot
# starve the others. Status pages and downloads of made reports are not counted.
report_limit = limiter.shared_limit(_report_limit, scope="report", key_func=_report_key)

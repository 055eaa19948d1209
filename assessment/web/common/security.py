"""Response headers, redirect targets and role checks: the web layer's security defaults."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# Ids are INTEGER columns: on PostgreSQL anything past 2**31 - 1 is an error, not "not found".
DB_INT_MAX = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, limited to what the database can store, so a huge id is a 404
    rather than an error from the database."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(
            url_map,
            fixed_digits,
            -DB_INT_MAX if signed and min is None else min,
            DB_INT_MAX if max is None else max,
            signed,
        )


def bounded_int(value: str) -> int:
    """``type=`` for query parameters holding ids; out of range reads as absent."""
    number = int(value)
    if not -DB_INT_MAX <= number <= DB_INT_MAX:
        raise ValueError("out of range")
    return number


class ControlCharacter(BadRequest):
    user_message = _l(
        "What was sent contains a character that is not allowed (a NUL). Nothing "
        "was saved; remove it and try again."
    )


def refuse_nul_characters() -> None:
    """No text we store may hold NUL: PostgreSQL refuses it, and no person types it."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise ControlCharacter()


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register_input_checks(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_nul_characters)
    # PROVIDE_AUTOMATIC_OPTIONS (config.py) is read as routes are added, but Flask adds its
    # static route before the config is loaded: OPTIONS is a 405 there too.
    for rule in app.url_map.iter_rules("static"):
        rule.provide_automatic_options = False
        rule.methods.discard("OPTIONS")


def register_headers(app: Flask) -> None:
    """Strict headers on every response; authenticated pages are never cached."""

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        if app.config["HTTPS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no backslash tricks, no control chars."""
    if not target or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 for anyone but an administrator (Flask-Login's login_required runs first)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def no_analysts(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 for sector analysts: they see the sector view's aggregates and never an
    organisation's pages (its assessments, answers, reports or sharing setting)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated and current_user.is_analyst:
            abort(403)
        return view(*args, **kwargs)

    return wrapped

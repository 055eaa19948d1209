"""Friendly error pages: a plain message, a way back, never a stack trace."""

from __future__ import annotations

import contextlib

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from assessment import i18n
from assessment.db import UNAVAILABLE, rollback_request_session

MESSAGES = {
    400: (
        _l("The request could not be understood"),
        _l("Something in what was sent is not valid. Go back, reload the page and try again."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("Your account cannot open this page. Ask an administrator if you need it."),
    ),
    404: (
        _l("Page not found"),
        _l("There is nothing here, or it belongs to another organisation."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("Too large"),
        _l("What you sent is larger than allowed. Send a smaller file or less text."),
    ),
    429: (_l("Too many attempts"), _l("Please wait a few minutes before you try again.")),
    503: (
        _l("Not available right now"),
        _l("This could not be done just now. Try again in a minute."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The error has been logged. Try again; if it persists, tell your administrator."),
    ),
}


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def render_error(code: int, detail: str | None = None, *, database_away: bool = False):
    # Text now, in the request's language: JSON and the plain fallback take no lazy strings.
    title, message = (str(text) for text in MESSAGES.get(code, MESSAGES[500]))
    detail = str(detail) if detail else None
    if _wants_json():
        return jsonify(error=title, detail=detail or message), code
    try:
        page = render_template(
            "errors/error.html",
            code=code,
            title=title,
            message=detail or message,
            database_away=database_away,
        )
    except Exception:  # noqa: BLE001 - the error page itself failed: still answer, plainly
        page = Response(f"{title}. {detail or message}\n", mimetype="text/plain")
    return page, code


# The database is restarting or unreachable: a 503 the load balancer and the person both
# understand, with the app's own headers, instead of a failure while drawing the error page.
RETRY_AFTER_SECONDS = 30


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError):
        return render_error(
            400,
            _(
                "The form had expired or was not sent from this site. Reload "
                "the page and try again; nothing was saved."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        return render_error(code if code in MESSAGES else 500, getattr(error, "user_message", None))

    def _database_away(error: Exception):
        app.logger.error("database unavailable on %s %s: %s", request.method, request.path, error)
        with contextlib.suppress(*UNAVAILABLE):  # gone; closed at the end of the request
            rollback_request_session()
        # Who is logged in (and so their language) cannot be read: the browser's language,
        # decided before any text is translated, so that nothing asks the database.
        i18n.use_page_language(
            request.accept_languages.best_match(i18n.LANGUAGES, i18n.DEFAULT_LANGUAGE)
        )
        body, code = render_error(
            503,
            _("The database cannot be reached just now. Nothing was lost; try again in a minute."),
            database_away=True,
        )
        response = app.make_response((body, code))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, _database_away)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        rollback_request_session()  # the page below may read the user
        return render_error(InternalServerError.code)

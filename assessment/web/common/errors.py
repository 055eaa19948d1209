"""Friendly error pages: a plain message, a way back, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from assessment.db import rollback_request_session

MESSAGES = {
    400: (
        "The request could not be understood",
        "Something in what was sent is not valid. Go back, reload the page and try again.",
    ),
    403: (
        "You do not have access to this page",
        "Your account cannot open this page. Ask an administrator if you need it.",
    ),
    404: ("Page not found", "There is nothing here, or it belongs to another organisation."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too large", "What you sent is larger than allowed. Send a smaller file or less text."),
    429: ("Too many attempts", "Please wait a few minutes before you try again."),
    503: ("Not available right now", "This could not be done just now. Try again in a minute."),
    500: (
        "Something went wrong",
        "The error has been logged. Try again; if it persists, tell your administrator.",
    ),
}


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if _wants_json():
        return jsonify(error=title, detail=detail or message), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError):
        return render_error(
            400,
            "The form had expired or was not sent from this site. Reload "
            "the page and try again; nothing was saved.",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        return render_error(code if code in MESSAGES else 500, getattr(error, "user_message", None))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        rollback_request_session()  # the page below may read the user
        return render_error(InternalServerError.code)

"""The application factory: it wires parts together and does nothing else.

No database creation, no network, no files written here: ``port-assess db upgrade`` and
``make run`` do that, so importing or testing the app has no side effects.
"""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, db, i18n, jobs, limits, paths
from .config import load_config
from .extensions import csrf, limiter, login_manager
from .report.filters import TEMPLATE_FILTERS
from .web import admin, assessments, auth, home, question_sets, sector
from .web.auth.sessions import load_user
from .web.common import errors, phrases, request_log
from .web.common.security import register_headers, register_input_checks
from .web.question_types import ADAPTERS, NONE_OF_THESE


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        "assessment",
        template_folder=str(paths.templates_dir()),
        static_folder=str(paths.static_dir()),
        instance_path=_instance_path(),
    )
    load_config(app, test_config)
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    db.init_app(app)
    jobs.init_app(app)
    register_input_checks(app)  # before the blueprints: their rules use the bounded int
    register_extensions(app)
    i18n.init_app(app)
    register_blueprints(app)
    register_headers(app)
    request_log.register(app)
    register_template_globals(app)
    register_cli(app)
    return app


def _instance_path() -> str | None:
    return os.environ.get("ASSESSMENT_INSTANCE_PATH") or None


def register_extensions(app: Flask) -> None:
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    # Flask-Login's "strong" protection only marks permanent sessions non-fresh; the session
    # is bound to its browser in web/sessions.py and ended by the nonce instead.
    login_manager.session_protection = None


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(assessments.bp, url_prefix="/assessments")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(question_sets.bp, url_prefix="/admin/question-sets")
    app.register_blueprint(sector.bp, url_prefix="/sector")
    errors.register(app)


def register_template_globals(app: Flask) -> None:
    """What templates may use everywhere: the limits, statuses and template filters, each
    defined once in Python (the page script reads what it needs from data-* attributes)."""
    app.jinja_env.globals.update(
        limits=limits,
        AnswerStatus=limits.AnswerStatus,
        NONE_OF_THESE=NONE_OF_THESE,
        widget_for=lambda question: _widget(app, question.type_name),
        current_language=i18n.current_language,
        languages=i18n.LANGUAGES,
    )
    app.jinja_env.filters.update(TEMPLATE_FILTERS, say=phrases.say)


def _widget(app: Flask, type_name: str):
    """The ``field`` macro of a question type's template. The template's module is built once
    and kept by Jinja, instead of being imported again for every question of a page."""
    return app.jinja_env.get_template(ADAPTERS[type_name].template).module.field


def register_cli(app: Flask) -> None:
    cli.register(app)

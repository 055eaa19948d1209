"""The interface language: the languages there are, and which one a request is in.

Every interface string goes through gettext (Flask-Babel); the catalogues live in
``assessment/translations/<language>/LC_MESSAGES/messages.po`` and English is the source
language, so it has no catalogue. Adding a language is adding a catalogue and a line in
LANGUAGES (``make translations-init LANGUAGE=pl``).

A request's language is, first found: the page's own (an assessment is shown in its language,
``use_page_language``), the user's choice, their organisation's default, the browser's
``Accept-Language``, English. Outside a request (the CLI, the report worker) it is whatever
``flask_babel.force_locale`` sets, English otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import flask_babel
from flask import g, has_app_context, has_request_context, request
from flask_login import current_user

from .paths import PACKAGE_DIR

# Each language in its own name: a user who cannot read the current one can still find theirs.
LANGUAGES = {
    "en": "English",
    "nl": "Nederlands",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
}
DEFAULT_LANGUAGE = "en"
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
# Babel locale used for dates and numbers: English in Europe writes 1 December 2026, 24-hour.
FORMAT_LOCALES = {"en": "en_GB"}

babel = flask_babel.Babel()


def supported(language: str | None) -> str | None:
    """The language if the interface has it (a question set may be in one it has not)."""
    if not language:
        return None
    base = language.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def choose_language() -> str:
    """Flask-Babel's locale selector (see the module docstring for the order)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    page = supported(g.get("page_language"))
    if page:
        return page
    if current_user and current_user.is_authenticated:
        chosen = supported(current_user.language)
        organisation = current_user.organisation
        if not chosen and organisation is not None:
            chosen = supported(organisation.language)
        if chosen:
            return chosen
    return browser_language(request.accept_languages)


def browser_language(accepted) -> str:
    """The first of the browser's languages (best quality first) we have, by its base: a
    browser sending ``fr-BE, en;q=0.5`` gets French, not the exact match English."""
    for tag, _quality in accepted:  # Werkzeug keeps them sorted by quality
        language = supported(tag)
        if language:
            return language
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language this request (or ``force_language`` block) is in, as a LANGUAGES key."""
    locale = flask_babel.get_locale()
    return supported(locale.language if locale else None) or DEFAULT_LANGUAGE


def languages_besides(own: str | None) -> dict[str, str]:
    """The interface languages but ``own`` (a question set's): those it can be translated
    into, each in its own name."""
    return {code: name for code, name in LANGUAGES.items() if code != (own or DEFAULT_LANGUAGE)}


def format_locale(language: str | None = None) -> str:
    """The Babel locale for dates and numbers in ``language`` (default: the current one)."""
    language = supported(language) or current_language()
    return FORMAT_LOCALES.get(language, language)


def use_page_language(language: str | None) -> None:
    """Show this page in ``language`` (an assessment's), whatever the user's setting."""
    if supported(language):
        g.page_language = supported(language)
        refresh()


def refresh() -> None:
    """Choose the language again (after the user changed theirs)."""
    flask_babel.refresh()
    g.pop(KEPT, None)


@contextmanager
def force_language(language: str | None) -> Iterator[None]:
    """Everything inside (a report, an export) in ``language``; without an app context (a
    script) there is no catalogue and everything stays in English."""
    if not has_app_context():
        yield
        return
    kept = g.pop(KEPT, None)
    try:
        with flask_babel.force_locale(supported(language) or DEFAULT_LANGUAGE):
            yield
    finally:
        g.pop(KEPT, None)
        if kept is not None:
            g.setdefault(KEPT, kept)


# Where ``translations()`` keeps the catalogue for the rest of the context.
KEPT = "_i18n_translations"


def translations():
    """The current language's catalogue, kept on ``g`` until the language changes (only
    ``refresh``, ``use_page_language`` and ``force_language`` change it). Flask-Babel looks
    it up again for every message, which is a large share of a page of a few hundred labels
    (the results page has over 500)."""
    if not has_app_context():
        return flask_babel.get_translations()
    kept = g.get(KEPT)
    if kept is None:
        kept = flask_babel.get_translations()
        setattr(g, KEPT, kept)
    return kept


def install_gettext(environment) -> None:
    """Jinja's ``_``, ``gettext``, ``ngettext`` and ``pgettext`` over ``translations()``
    (newstyle: variables are escaped, the translated text is trusted)."""
    if "jinja2.ext.InternationalizationExtension" not in environment.extensions:
        environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=choose_language,
        default_locale=DEFAULT_LANGUAGE,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    install_gettext(app.jinja_env)

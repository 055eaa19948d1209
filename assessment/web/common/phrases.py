"""Our words that the pure packages keep as data, said in the page's language.

``questionset/`` has no Flask: a problem in a question set and a difference between two
versions are ``Phrase``s (an English str that keeps its gettext template and parameters) or
yes/no flags, with numbers as ``Number``. Here a phrase's template goes through gettext and
its parameters are put in, each said first when it is a phrase itself ("question 'q1'") and
numbers with the locale's decimal mark ("0,75"). Everything is escaped, the
catalogue's words and every parameter (the set's own texts, ids and values) alike: the result
is Markup, safe to show and never escaped twice.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

from assessment import i18n
from assessment.questionset.base import Number, Phrase
from assessment.questionset.crossref import Problem


def say(value: object) -> Markup:
    """A Phrase, a Problem (its message) or a flag in the page's language (the ``say``
    filter); anything else, such as a YAML reader's message or the set's own text, as it is."""
    if isinstance(value, Problem):
        value = value.message
    if value is True:
        return escape(_("yes"))
    if value is False:
        return escape(_("no"))
    if isinstance(value, Number):
        return escape(format_decimal(value, "0.######", locale=i18n.format_locale()))
    if not isinstance(value, Phrase):
        return escape(value)
    words = escape(_(value.template) if value.translated else value.template)
    if not value.params:
        return words
    said = {k: say(p) if isinstance(p, Phrase | Number) else p for k, p in value.params.items()}
    return words % said


def problem_line(problem: Problem) -> Markup:
    """``file:line: message`` as the CLI prints it, with the message in the page's language."""
    return Markup("{}:{}: {}").format(problem.file, problem.line, say(problem))

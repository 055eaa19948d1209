"""Every interface string is in the catalogues, and every catalogue translates every one.

Three checks, so that a string added in English alone fails ``make test`` rather than showing
up untranslated in a Dutch port:
- templates: no visible text or visible attribute (title, aria-label, placeholder, alt, a
  button's value) outside ``_()``/``gettext``/``ngettext``; Jinja expressions count as
  translated or as data, whatever they print;
- Python: no plain string literal as a flash message, a validation error, a form field's label
  or description, a validator's message or a choice's label;
- catalogues: each language of ``assessment.i18n.LANGUAGES`` (English is the source) has every
  message a fresh ``pybabel extract`` finds, translated, not fuzzy, with the same placeholders.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from assessment.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "assessment"

# Visible words that are the same in every language: the product's name, acronyms (PDF, CSV,
# UTC, TLP, NIS2) and symbols. Anything else with two letters in a row is a sentence to translate.
SAME_IN_EVERY_LANGUAGE = re.compile(r"port-assess|\b[A-Z][A-Z0-9+:]{1,11}\b")
WORD = re.compile(r"[^\W\d_]{2,}")
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description", "label"}
BUTTON_TYPES = {"submit", "button", "reset"}
# What an expression prints stands in the page as this (no letters: never an offence itself).
EXPRESSION = "0"


def untranslated_words(text: str) -> list[str]:
    return WORD.findall(SAME_IN_EVERY_LANGUAGE.sub(" ", text))


def template_text(source: str) -> str:
    """The template as the browser would see it with every Jinja expression printing "0" and
    every statement and comment gone; newlines kept so lines still match the file."""
    out: list[str] = []
    line = 1
    # Only lexed, never rendered: no output to escape.
    for lineno, kind, value in Environment(autoescape=True).lex(source):
        while line < lineno:  # a multi-line tag: keep the line count
            out.append("\n")
            line += 1
        if kind == "data":
            out.append(value)
            line += value.count("\n")
        elif kind == "variable_begin":
            out.append(EXPRESSION)
    return "".join(out)


class VisibleText(HTMLParser):
    """Collects (line, text) of what a reader sees in English: text outside script and style,
    and the attributes that are read out or shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden_depth += 1
        attributes = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value"
                and tag in ("input", "button")
                and attributes.get("type") in BUTTON_TYPES
            )
            if shown and value and untranslated_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth and untranslated_words(data):
            leading = data[: len(data) - len(data.lstrip())]
            self.found.append((self.getpos()[0] + leading.count("\n"), data.strip()))


def template_offences(path: Path) -> list[str]:
    parser = VisibleText()
    parser.feed(template_text(path.read_text(encoding="utf-8")))
    parser.close()
    name = path.relative_to(ROOT)
    return [
        f"{name}:{line}: {text!r}"
        for line, text in parser.found
        if "=" in text or untranslated_words(text)
    ]


def test_template_text_keeps_lines_and_hides_expressions():
    source = "<p title=\"{{ _('Save') }}\">\n{% if x %}\n  Hello {{ name }}\n{% endif %}</p>"
    assert template_text(source).splitlines()[2].strip() == "Hello 0"
    parser = VisibleText()
    parser.feed(template_text(source))
    assert parser.found == [(3, "Hello 0")]


def test_the_template_check_finds_english_text_and_attributes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<h1>{{ _("Results") }}</h1>\n<p>Nothing yet</p>\n<button title="Delete it">×</button>\n'
        '<input type="hidden" name="action" value="publish"><span>PDF · CSV</span>\n'
        "<script>var english = 'ignored';</script>",
        encoding="utf-8",
    )
    found = VisibleText()
    found.feed(template_text(page.read_text()))
    assert found.found == [(2, "Nothing yet"), (3, 'title="Delete it"')]


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_templates_show_no_text_outside_the_catalogues(path):
    offences = template_offences(path)
    assert not offences, "Wrap in {{ _('...') }}:\n" + "\n".join(offences)


# Calls whose string arguments a user reads, and where those arguments are.
MESSAGE_CALLS = {"flash", "ValidationError"}
MESSAGE_KEYWORDS = {"label", "description", "message", "placeholder"}
# The services' errors whose message a view shows as it is. (MinGroupError, BackupError and
# SeedError speak to the operator at the command line or at start-up, in English.)
SHOWN_ERRORS = {
    "AssessmentError",
    "DraftError",
    "EditRefused",
    "MfaError",
    "OrganisationError",
    "UserError",
}
GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _plain_text(node: ast.expr | None) -> bool:
    """A literal a user would read: a string with words, or an f-string, not wrapped in gettext."""
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(untranslated_words(node.value))
    )


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def python_offences(path: Path) -> list[str]:
    offences = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        suspects: list[ast.expr] = []
        if (name in MESSAGE_CALLS or name in SHOWN_ERRORS) and node.args:
            suspects.append(node.args[0])
        if name.endswith("Field") and node.args:
            suspects.append(node.args[0])  # a WTForms field's label
        suspects += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
        for choices in (k.value for k in node.keywords if k.arg == "choices"):
            if isinstance(choices, ast.List | ast.Tuple):
                suspects += [
                    pair.elts[1]
                    for pair in choices.elts
                    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2
                ]
        offences += [
            f"{_shown(path)}:{s.lineno}: {ast.unparse(s)[:80]}" for s in suspects if _plain_text(s)
        ]
    return offences


def test_the_python_check_finds_plain_messages(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "flash('Saved.')\nflash(_('Saved.'))\nflash(f'{n} saved')\n"
        "name = StringField('Name', validators=[Length(max=5, message='Too long')])\n"
        "kind = SelectField(_l('Kind'), choices=[('a', 'Port authority'), ('b', _l('Other'))])\n",
        encoding="utf-8",
    )
    found = sorted(line.split(": ", 1)[1] for line in python_offences(module))
    assert found == sorted(["'Saved.'", "f'{n} saved'", "'Name'", "'Too long'", "'Port authority'"])


def test_python_messages_are_in_the_catalogues():
    offences = [o for path in sorted(PACKAGE.rglob("*.py")) for o in python_offences(path)]
    assert not offences, "Wrap in _() or _l():\n" + "\n".join(offences)


def extraction_keywords() -> list[str]:
    """The ``-k`` options of `make translations`, read from the Makefile so they cannot drift."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    keywords = re.findall(r"-k (\S+)", makefile)
    assert keywords, "the Makefile's pybabel extract has no -k options"
    return [option for keyword in keywords for option in ("-k", keyword)]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages as `make translations` extracts them today."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "--no-location",
            "-F",
            str(TRANSLATIONS_DIR / "babel.cfg"),
            *extraction_keywords(),
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as file:
        return read_po(file)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _texts(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE}))
def test_every_catalogue_translates_every_message(language, extracted):
    path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), (
        f"no catalogue for {language}: make translations-init LANGUAGE={language}"
    )
    with path.open("rb") as file:
        catalogue = read_po(file, locale=language)
    problems = []
    for message in extracted:
        if not message.id:
            continue
        translated = catalogue.get(message.id, context=message.context)
        key = _texts(message.id)[0]
        if translated is None:
            problems.append(f"missing: {key!r} (run make translations)")
        elif translated.fuzzy or not all(_texts(translated.string)):
            problems.append(f"not translated{' (fuzzy)' if translated.fuzzy else ''}: {key!r}")
        else:
            wanted = {p for text in _texts(message.id) for p in PLACEHOLDER.findall(text)}
            for text in _texts(translated.string):
                # Translations are trusted HTML (Jinja's newstyle gettext): a straight quote
                # would end an attribute, a < start a tag the source never had.
                for mark in '"<>&':
                    if text.count(mark) > sum(t.count(mark) for t in _texts(message.id)):
                        problems.append(f"{mark!r} the source has not: {key!r} -> {text!r}")
                got = set(PLACEHOLDER.findall(text))
                if got - wanted or (wanted - got - {"num"}):
                    problems.append(f"placeholders {sorted(got)} != {sorted(wanted)}: {key!r}")
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)

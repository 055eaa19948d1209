"""The assessment as files: the result as JSON, the action plan and the answers as CSV.

No cell a spreadsheet sees may begin with a formula character (=, +, -, @, tab, CR): a comment
typed by one person must not execute on another's computer. A spreadsheet does not always split
the file on our comma: in most continental European locales it splits on semicolons, and it may
be told to split on tabs; splitting on another separator than ours, it also loses track of our
quoting, so line breaks start cells too. So an apostrophe goes before a formula character at the
start of a cell *and* after any comma, semicolon, tab or line break inside it (spaces and double
quotes between them are skipped, as a reader may skip them). ``tests/security/test_csv_formulas.py``
reads the files back with each separator.
"""

from __future__ import annotations

import csv
import io
import json
import re

from babel.numbers import format_decimal, get_decimal_symbol
from flask_babel import gettext as _

from assessment import i18n
from assessment.limits import AnswerStatus
from assessment.models import AnswerRecord, Assessment
from assessment.questionset import QuestionSet
from assessment.scoring import Result, result_to_json

from . import wording

BYTE_ORDER_MARK = "\ufeff"
FORMULA_START = "=+-@\t\r"
# Where a spreadsheet may begin a cell: its separator (comma, semicolon or tab) and line breaks.
CELL_STARTS = ",;\t\r\n"
# A formula character that would begin a cell: at the start of the text or after a cell start,
# behind nothing but spaces and double quotes (a quote opens a quoted cell; some readers trim
# spaces). Tab and CR are both: each is checked as a formula character and as a cell start.
_EXPOSED_FORMULA = re.compile(
    rf'(?:^|(?<=[{re.escape(CELL_STARTS)}]))([ "]*)(?=[{re.escape(FORMULA_START)}])'
)


def neutralise_cell(value: object) -> str:
    """The cell's text with an apostrophe before every formula character a spreadsheet could
    see at the start of a cell, whichever separator it splits on."""
    text = "" if value is None else str(value)
    # Line breaks as LF, the file's own (a lone CR would not be quoted and would end the row).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _EXPOSED_FORMULA.sub(r"\1'", text)


def csv_separator(locale: str) -> str:
    """The separator a spreadsheet of ``locale`` splits on when the file is double-clicked:
    Excel takes it from the region's list separator, a semicolon wherever the decimal mark is
    a comma (nl, fr, de, es), a comma elsewhere. The file follows, so it opens in columns."""
    return ";" if get_decimal_symbol(locale) == "," else ","


def _cell(value: object, locale: str) -> str:
    """A number in the locale's decimal mark (3,5 where a spreadsheet reads commas as decimal
    marks), anything else as neutralised text."""
    if isinstance(value, float):
        return format_decimal(value, format="0.##", locale=locale)
    return neutralise_cell(value)


def table_csv(header: list[str], rows: list[list[object]], language: str | None = None) -> str:
    """A CSV document for a spreadsheet in ``language`` (default: the request's) whose cells
    can never run as spreadsheet formulas. It starts with a UTF-8 byte-order mark, without
    which Excel on Windows reads UTF-8 as the local code page and garbles accented names."""
    locale = i18n.format_locale(language)
    buffer = io.StringIO()
    # Rows end in LF, not CSV's usual CRLF: a reader splitting on another separator may read
    # the end of a row inside a quoted cell, where a CR would begin that cell.
    writer = csv.writer(buffer, delimiter=csv_separator(locale), lineterminator="\n")
    writer.writerow([neutralise_cell(v) for v in header])
    writer.writerows([[_cell(v, locale) for v in row] for row in rows])
    return BYTE_ORDER_MARK + buffer.getvalue()


def result_document(result: Result, about: dict) -> dict:
    """The one JSON envelope of a result, for the web download, the PDF's attachment and
    ``port-assess report``: the result's keys (README, "The result as JSON") and ``assessment``,
    what is known of the assessment it belongs to."""
    return {**result_to_json(result), "assessment": about}


def result_json(result: Result, about: dict) -> str:
    return json.dumps(result_document(result, about), indent=2, ensure_ascii=False) + "\n"


def about_assessment(meta, assessment: Assessment | None = None) -> dict:
    """What the envelope says of the assessment: the report's cover (``meta``), and for a
    stored assessment its id, country, revision and completion time."""
    about = {
        "id": None,
        "title": meta.title,
        "scope": meta.scope,
        "organisation": meta.organisation,
        "country": None,
        "author": meta.author,
        "status": meta.status,
        "classification": meta.classification,
        "revision": None,
        "completed_at": None,
        "generated_at": meta.generated_at,
    }
    if assessment is not None:
        about |= {
            "id": assessment.id,
            "country": assessment.organisation.country,
            "revision": assessment.revision,
            "completed_at": assessment.completed_at.isoformat(timespec="seconds")
            if assessment.completed_at
            else None,
        }
    return about


def action_plan_csv(result: Result) -> str:
    titles = {w.question_id: w.title for w in result.weaknesses}
    rows = [
        [
            wording.horizon_labels()[a.horizon],
            a.title,
            a.how,
            wording.effort_labels().get(a.effort, a.effort),
            round(a.priority, 2),
            f"{a.share * 100:.0f} %",
            "; ".join(titles[q] for q in a.closes),
            "; ".join(titles[q] for q in a.supports),
            "",
            "",
        ]
        for a in result.action_plan
    ]
    return table_csv(
        [
            _("Horizon"),
            _("Mitigation"),
            _("What to do"),
            _("Effort"),
            _("Priority it closes"),
            _("Share of all open risk"),
            _("Weaknesses it closes"),
            _("Weaknesses it supports"),
            _("Owner"),
            _("Due date"),
        ],
        rows,
    )


def answers_csv(question_set: QuestionSet, result: Result, records: dict[str, AnswerRecord]) -> str:
    titles = {s.id: s.title for s in question_set.sections}
    weak = {w.question_id: w for w in result.weaknesses}
    rows = []
    for q in result.questions:
        if q.status == AnswerStatus.HIDDEN:
            continue
        record = records.get(q.question_id)
        weakness = weak.get(q.question_id)
        rows.append(
            [
                titles[q.section_id],
                q.question_id,
                q.text,
                q.answer or "",
                wording.status_words().get(q.status, _("Answered")),
                q.comment,
                q.evidence,
                q.evidence_checked or "",
                "" if q.score is None else round(q.score * 100),
                wording.severity_words()[weakness.severity] if weakness else "",
                _("yes") if record and record.marked_for_review else "",
                _("yes") if record and record.needs_recheck else "",
                record.updated_by.display_name if record and record.updated_by else "",
                record.updated_at.strftime("%Y-%m-%d %H:%M") if record else "",
            ]
        )
    return table_csv(
        [
            _("Section"),
            _("Question id"),
            _("Question"),
            _("Answer"),
            _("Status"),
            _("Comment"),
            _("Evidence (how we know)"),
            _("Evidence last checked"),
            _("Score (0-100)"),
            _("Open weakness (severity)"),
            _("Marked for review"),
            _("To re-check"),
            _("Last changed by"),
            _("Last changed at (UTC)"),
        ],
        rows,
    )

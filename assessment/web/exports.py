"""Downloads of an assessment: the result as JSON, the action plan and the answers as CSV.

CSV cells that a spreadsheet would run as a formula (=, +, -, @) are prefixed with an
apostrophe: a comment typed by one person must not execute on another's computer.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from urllib.parse import quote

from flask import Response

from assessment.models import AnswerRecord, Assessment, utcnow
from assessment.questionset import QuestionSet
from assessment.questionset.model import HORIZON_LABELS
from assessment.scoring import Result, result_to_json

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def table_csv(header: list[str], rows: list[list[object]]) -> str:
    """A CSV document whose cells can never run as spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def safe_filename(assessment: Assessment, kind: str, extension: str) -> str:
    """Organisation, date and kind, in letters, digits and dashes only."""
    name = unicodedata.normalize("NFKD", assessment.organisation.name)
    name = re.sub(r"[^A-Za-z0-9]+", "-", name.encode("ascii", "ignore").decode()).strip("-")
    day = (assessment.completed_at or assessment.updated_at).strftime("%Y-%m-%d")
    return f"{(name or 'assessment')[:60]}-{day}-{kind}.{extension}"


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name; nothing can break the header."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def result_json(assessment: Assessment, result: Result) -> str:
    data = {
        "assessment": {
            "id": assessment.id,
            "title": assessment.title,
            "scope": assessment.scope,
            "organisation": assessment.organisation.name,
            "country": assessment.organisation.country,
            "status": assessment.status,
            "revision": assessment.revision,
            "completed_at": assessment.completed_at.isoformat()
            if assessment.completed_at
            else None,
            "exported_at": utcnow().isoformat(timespec="seconds"),
        },
        **result_to_json(result),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def action_plan_csv(question_set: QuestionSet, result: Result) -> str:
    weakness_titles = {w.question_id: w.title for w in result.weaknesses}
    rows = [
        [
            HORIZON_LABELS[a.horizon],
            a.title,
            a.how,
            a.effort,
            round(a.priority, 2),
            "; ".join(weakness_titles[q] for q in a.addresses),
            "",
            "",
        ]
        for a in result.action_plan
    ]
    return table_csv(
        [
            "Horizon",
            "Mitigation",
            "What to do",
            "Effort",
            "Priority removed",
            "Weaknesses addressed",
            "Owner",
            "Due date",
        ],
        rows,
    )


def answers_csv(question_set: QuestionSet, result: Result, records: dict[str, AnswerRecord]) -> str:
    titles = {s.id: s.title for s in question_set.sections}
    rows = []
    for q in result.questions:
        if q.status == "hidden":
            continue
        record = records.get(q.question_id)
        rows.append(
            [
                titles[q.section_id],
                q.question_id,
                q.text,
                q.answer or "",
                q.status.replace("_", " "),
                q.comment,
                "" if q.score is None else round(q.score * 100),
                "yes" if record and record.marked_for_review else "",
                "yes" if record and record.needs_recheck else "",
                record.updated_by.display_name if record and record.updated_by else "",
                record.updated_at.strftime("%Y-%m-%d %H:%M") if record else "",
            ]
        )
    return table_csv(
        [
            "Section",
            "Question id",
            "Question",
            "Answer",
            "Status",
            "Comment",
            "Score (0-100)",
            "Marked for review",
            "To re-check",
            "Last changed by",
            "Last changed at (UTC)",
        ],
        rows,
    )


def download(content: str | bytes, filename: str, mimetype: str) -> Response:
    """A file to save, never to show inline, with a header no name can break."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response

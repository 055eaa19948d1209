"""Files sent to the browser: always as attachments, with a name no input can break."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

from assessment.models import Assessment
from assessment.report.plain_text import one_line


def safe_filename(assessment: Assessment, kind: str, extension: str) -> str:
    """Organisation, date and kind, in letters, digits and dashes only."""
    name = unicodedata.normalize("NFKD", assessment.organisation.name)
    name = re.sub(r"[^A-Za-z0-9]+", "-", name.encode("ascii", "ignore").decode()).strip("-")
    day = (assessment.completed_at or assessment.updated_at).strftime("%Y-%m-%d")
    return f"{(name or 'assessment')[:60]}-{day}-{kind}.{extension}"


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name; nothing can break the header, and no
    control or bidirectional character reaches the name the browser shows and saves under
    ("Port", U+202E, "fdp.exe" shows as "Portexe.pdf")."""
    filename = one_line(filename).replace("/", "_").replace("\\", "_") or "download"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(content: str | bytes, filename: str, mimetype: str) -> Response:
    """A file to save, never to show inline, with a header no name can break."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response

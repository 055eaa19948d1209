"""Lengths, id patterns and answer statuses: defined once, used by the question-set format
(pydantic), the forms (WTForms), the services, the templates (Jinja global ``limits``) and the
page script (through ``data-*`` attributes the templates write)."""

from __future__ import annotations

import enum

# Any long text a person writes: question text, help, comments, evidence, scope.
MAX_TEXT = 5000
# Titles in a question set (sections, weaknesses, mitigations, choice labels).
MAX_TITLE = 300
# An assessment's own title.
MAX_ASSESSMENT_TITLE = 200
MAX_EMAIL = 254
MAX_PASSWORD = 1024
MAX_NAME = 200  # organisation names
# What backs an answer ("how do we know"): a document, a test record, a ticket, in a few lines.
MAX_EVIDENCE = 1000

# Ids in question sets: stable, lower case, so that they read well in files and URLs.
MAX_ID = 80
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
REFERENCE_PATTERN = r"^[A-Z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9.()_-]*$"
FRAMEWORK_PATTERN = r"^[A-Z][A-Za-z0-9]*$"


class AnswerStatus(enum.StrEnum):
    """Where a question stands. An answer itself is answered, don't know or not applicable;
    a question may also be unanswered, or hidden (not asked under the profile's answers)."""

    ANSWERED = "answered"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"
    HIDDEN = "hidden"

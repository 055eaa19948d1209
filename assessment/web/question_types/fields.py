"""The answer form's field names and what every type's reader shares.

Per question id ``Q``: ``a:Q`` the answer (one or several values), ``x:Q`` don't know / not
applicable for a number, ``c:Q`` the comment, ``e:Q`` the evidence (how we know) and ``d:Q`` the
date it was last checked, ``r:Q`` marked for review, ``k:Q`` confirm a copied answer, ``v:Q``
the revision the form was built from, ``o:Q`` a fingerprint of the state the form showed (to
tell what the person changed), and ``q`` the ids of the questions on the form (so that a
checklist with nothing ticked is still seen).
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _

NONE_OF_THESE = "__none__"


class FieldProblem(ValueError):
    """The form's fields for one question contradict each other."""


def answer_field(question_id: str) -> str:
    return f"a:{question_id}"


def fingerprint(
    raw: object | None, comment: str, marked: bool, evidence: str = "", checked: str = ""
) -> str:
    """A short digest of what a question's fields showed, to tell whether they were changed."""
    canonical = json.dumps(
        [_normal(raw), comment, bool(marked), evidence, checked or ""], sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _normal(raw: object | None) -> object | None:
    """Form values and stored values in one shape: '2' and 2, ['b', 'a'] and ['a', 'b']."""
    if isinstance(raw, list | tuple):
        return sorted(str(v) for v in raw)
    if raw is None:
        return None
    return str(raw)


def one_value(question_id: str, form) -> object | None:
    values = [v for v in form.getlist(answer_field(question_id)) if v != ""]
    if len(values) > 1:
        raise FieldProblem(_("Choose one answer."))
    return values[0] if values else None

"""What an edit in the editor changed, field by field, for the audit log: the log then shows
a question's text, choices and scores before and after, not only that it was edited."""

from __future__ import annotations

from assessment.questionset.changes import data_differences

MAX_LOGGED_CHANGES = 60
METADATA = ("title", "description", "language")


def _at(data: dict, path: tuple):
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def edit_changes(original: dict, data: dict, path: tuple) -> list | None:
    """What an edit changed in its object, field by field, for the audit log (None when it
    changed no field: a move, a deletion). The object as it was is found by its id, since an
    edit may also move it."""
    if path == ("title",):
        before = {k: original[k] for k in METADATA if k in original}
        after = {k: data[k] for k in METADATA if k in data}
    else:
        after = _at(data, path)
        if not isinstance(after, dict):
            return None
        if "questions" in path:
            pool = [q for s in original.get("sections") or [] for q in s.get("questions") or []]
        else:
            pool = original.get(path[0]) if path else []
        before = next(
            (o for o in pool or [] if isinstance(o, dict) and o.get("id") == after.get("id")),
            None,
        )
    found = data_differences(before, after)
    if len(found) > MAX_LOGGED_CHANGES:
        more = len(found) - MAX_LOGGED_CHANGES
        found = [*found[:MAX_LOGGED_CHANGES], ["…", "", f"and {more} more changes"]]
    return found or None

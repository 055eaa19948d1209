"""The confirm-then-switch step shared by organisations and accounts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _

from assessment.services import users as user_service


@dataclass(frozen=True)
class Switch:
    """The words of one way of the switch, each a whole sentence in the current language
    (a translation may need to put the name anywhere in it)."""

    question: str  # the page's title: "Deactivate Port of Aldport?"
    explanation: str
    done: str  # the message after it: "Organisation 'Port of Aldport' is now deactivated."


def toggle_active(
    active: bool, change, action_url: str, back: str, *, deactivate: Switch, reactivate: Switch
):
    """The shared confirm-then-switch step for organisations and accounts."""
    words = deactivate if active else reactivate
    if request.method == "POST":
        try:
            change()
        except user_service.UserError as exc:
            flash(str(exc), "error")
        else:
            flash(words.done, "success")
        return redirect(back)
    return render_template(
        "admin/confirm.html",
        action_url=action_url,
        title=words.question,
        explanation=words.explanation,
        button=_("Deactivate") if active else _("Reactivate"),
        danger=active,
        back=back,
    )

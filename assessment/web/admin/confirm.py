"""The confirm-then-switch step shared by organisations and accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request

from assessment.services import users as user_service


def toggle_active(
    active: bool, label: str, name: str, change, action_url: str, back: str, *, off: str, on: str
):
    """The shared confirm-then-switch step for organisations and accounts."""
    if request.method == "POST":
        try:
            change()
        except user_service.UserError as exc:
            flash(str(exc), "error")
        else:
            flash(f"{label} is now {'deactivated' if active else 'active'}.", "success")
        return redirect(back)
    verb = "Deactivate" if active else "Reactivate"
    return render_template(
        "admin/confirm.html",
        action_url=action_url,
        title=f"{verb} {name}?",
        explanation=off if active else on,
        button=verb,
        danger=active,
        back=back,
    )

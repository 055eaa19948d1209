"""The sharing switch, as the officers of an organisation and the administrators use it: a page
that says what sharing means and asks to confirm; a POST that sets the state asked for."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from assessment.db import get_session
from assessment.services import sector_data

from .forms import SharingForm


def sharing_page(organisation, action_url: str, back: str):
    """GET: the current state and the confirmation; POST: the change, audited."""
    form = SharingForm()
    if form.validate_on_submit():
        changed = sector_data.set_sharing(get_session(), current_user, organisation.id, form.wanted)
        if not changed:
            flash(_("Nothing changed: that was already the setting."), "info")
        elif form.wanted:
            flash(
                _(
                    "%(organisation)s now shares its completed results.",
                    organisation=organisation.name,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "%(organisation)s no longer shares: its results left every sector figure.",
                    organisation=organisation.name,
                ),
                "success",
            )
        return redirect(action_url)
    sharing = sector_data.sharing_of(get_session(), organisation.id)
    return render_template(
        "sector/sharing.html",
        form=form,
        organisation=organisation,
        sharing=sharing,
        action_url=action_url,
        back=back,
    )

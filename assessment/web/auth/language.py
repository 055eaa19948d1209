"""One's own interface language, set on the account page (``templates/auth/password.html``).

The choice is stored on the account (``User.language``) and read by ``i18n.choose_language``
on every request; an empty choice follows the organisation's default, then the browser.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from assessment import i18n
from assessment.db import get_session
from assessment.services import users

from .blueprint import bp
from .forms import LanguageForm, PasswordChangeForm


def language_form() -> LanguageForm:
    """The setting as it stands, for a page that shows it beside another form (it never reads
    that form's fields)."""
    return LanguageForm(formdata=None, data={"language": current_user.language or ""})


@bp.post("/account/language")
@login_required
def change_language():
    form = LanguageForm()
    if form.validate_on_submit():
        try:
            users.set_language(
                get_session(), current_user._get_current_object(), form.language.data or None
            )
        except users.UserError as exc:
            form.language.errors.append(str(exc))
        else:
            i18n.refresh()  # the message below in the language just chosen
            flash(_("Your language setting is saved."), "success")
            return redirect(url_for("auth.change_password"))
    return render_template(
        "auth/password.html",
        form=PasswordChangeForm(formdata=None),
        language_form=form,
        forced=current_user.must_change_password,
    ), 422

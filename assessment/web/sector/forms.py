"""The sharing switch's form (it carries its CSRF token); the analyst's filters are a GET."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired


class SharingForm(FlaskForm):
    """The state asked for, not a toggle: a form sent twice (or from two tabs) asks the same
    change twice, and the second changes nothing."""

    share = HiddenField(validators=[DataRequired(), AnyOf(["on", "off"])])

    @property
    def wanted(self) -> bool:
        return self.share.data == "on"

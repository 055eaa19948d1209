"""The interface languages as form choices, for every form that offers one."""

from __future__ import annotations

from wtforms import SelectChoice

from assessment.i18n import LANGUAGES

# Each language in its own name, marked with its lang for screen readers: someone who cannot
# read the current page's language still finds theirs.
LANGUAGE_CHOICES = [
    SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()
]

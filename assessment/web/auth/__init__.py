"""Logging in and out, the second factor (TOTP), and one's own password: ``/login``,
``/logout``, ``/account/...``; templates in ``templates/auth/``."""

from . import forced_change, language, mfa, views
from .blueprint import bp

__all__ = ["bp", "forced_change", "language", "mfa", "views"]

"""Logging in and out, the second factor (TOTP), and one's own password: ``/login``,
``/logout``, ``/account/...``; templates in ``templates/auth/``."""

from . import mfa, views
from .blueprint import bp

__all__ = ["bp", "mfa", "views"]

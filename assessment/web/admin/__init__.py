"""Administration of organisations, user accounts and the audit log: ``/admin/...``;
templates in ``templates/admin/``. Administrators only (403 for officers)."""

from . import audit, organisations, sharing, users
from .blueprint import bp

__all__ = ["audit", "bp", "organisations", "sharing", "users"]

"""Extension singletons, bound to an app in ``create_app``."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

# The storage behind ``database://``, the default ASSESSMENT_RATELIMIT_STORAGE_URI: defining the
# class registers the scheme with ``limits``.
from .services.rate_limits import DatabaseStorage  # noqa: F401

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

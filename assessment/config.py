"""Settings: defaults here, then ``ASSESSMENT_*`` environment variables, then test overrides.

Every key is documented in the README's configuration table. The app refuses to start without a
secret key: a fallback secret would let anyone who reads the source forge sessions.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from .services.sector_privacy import checked_min_group

DEFAULTS: dict = {
    # A path to a file holding the secret key; make run generates one (0600) under instance/.
    "SECRET_KEY_FILE": None,
    "DATABASE_URL": None,  # default: SQLite under the instance folder
    # false only for tests: SQLite does not wait for the disk at each commit
    "DATABASE_DURABLE": True,
    "HTTPS": False,  # served over HTTPS: Secure + __Host- cookie, HSTS
    "SESSION_HOURS": 8,
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    # Where rate-limit counters live: the app's database (every worker and server sees them;
    # services/rate_limits.py says why), or redis://host:6379. memory:// counts per process.
    "RATELIMIT_STORAGE_URI": "database://",
    "PASSWORD_MIN_LENGTH": 12,
    "MAX_UPLOAD_MB": 2,
    "CLASSIFICATION": "TLP:AMBER+STRICT",
    # Named on printed recovery codes, so a sheet says which installation it unlocks.
    "INSTALLATION_NAME": "",
    "REPORT_LIMIT_PER_USER": "10 per minute",
    # Report workers (port-assess worker): the queue, and the bounds of one render.
    "QUEUE_URL": None,  # default: a SQLite queue beside the database in the instance folder
    "REPORT_WORKERS": 1,
    "REPORT_TIMEOUT_SECONDS": 120,
    "REPORT_MEMORY_MB": 1536,
    "REPORT_RENDERS_PER_ORGANISATION": 1,
    "MFA_REQUIRED_FOR_ADMINS": True,
    "MFA_LIMIT": "5 per 5 minutes",  # wrong codes per account and per address
    "PROXY_FIX": False,  # behind a reverse proxy that sets X-Forwarded-*
    # The sector view publishes no figure over fewer organisations (at least 5: see
    # docs/sector-privacy.md); a lower value stops the app from starting.
    "SECTOR_MIN_GROUP": 5,
    # One JSON line per request on the "assessment.requests" logger (web/common/request_log.py).
    "REQUEST_LOG": True,
}


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` and derive Flask's own keys from ours."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("ASSESSMENT")
    if test_config:
        app.config.from_mapping(test_config)
    config = app.config
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _read_secret_file(config.get("SECRET_KEY_FILE"))
    if not config.get("SECRET_KEY"):
        raise RuntimeError(
            "No secret key: set ASSESSMENT_SECRET_KEY (e.g. python3 -c 'import secrets; "
            "print(secrets.token_hex(32))') or ASSESSMENT_SECRET_KEY_FILE. `make run` creates "
            "one under instance/ for local use."
        )
    if len(config["SECRET_KEY"]) < 32 and not config.get("TESTING"):
        raise RuntimeError("ASSESSMENT_SECRET_KEY must be at least 32 characters")
    config["SECTOR_MIN_GROUP"] = checked_min_group(config["SECTOR_MIN_GROUP"])
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "port-assess.db")
    if not config.get("QUEUE_URL"):
        config["QUEUE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "queue.db")
    https = bool(config["HTTPS"])
    config.update(
        SESSION_COOKIE_NAME="__Host-session" if https else "session",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=int(config["SESSION_HOURS"])),
        REMEMBER_COOKIE_SECURE=https,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=int(config["MAX_UPLOAD_MB"]) * 1024 * 1024 + 64 * 1024,
        MAX_FORM_MEMORY_SIZE=256 * 1024,
        MAX_FORM_PARTS=2000,
        RATELIMIT_STORAGE_URI=config["RATELIMIT_STORAGE_URI"],
        RATELIMIT_HEADERS_ENABLED=False,
        # No automatic answer to OPTIONS (Flask's is a 200 listing the methods, login or not):
        # the app serves browsers of its own pages only, which never send it. OPTIONS is a 405.
        PROVIDE_AUTOMATIC_OPTIONS=False,
        WTF_CSRF_TIME_LIMIT=None if config.get("TESTING") else 8 * 3600,
    )


def _read_secret_file(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip() or None
    except OSError as exc:
        raise RuntimeError(f"cannot read ASSESSMENT_SECRET_KEY_FILE {path}: {exc}") from None


def write_secret_file(path: Path) -> bool:
    """Create a random secret readable only by its owner; False if one is already there."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return True

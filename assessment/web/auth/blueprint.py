"""The blueprint of logging in and out, the second factor and one's own password."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

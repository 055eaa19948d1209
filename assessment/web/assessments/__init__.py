"""The officer's assessments: list, start, answer section by section, review, complete,
results and downloads: ``/assessments/...``; templates in ``templates/assessments/``."""

from . import sharing, views
from .blueprint import bp

__all__ = ["bp", "sharing", "views"]

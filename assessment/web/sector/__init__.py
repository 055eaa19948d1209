"""The sector view: aggregates over the completed assessments organisations share, for sector
analysts: ``/sector/...``; templates in ``templates/sector/``. The sharing switch that officers
and administrators use lives here too (``sharing.py``), mounted by their own blueprints."""

from . import views
from .blueprint import bp

__all__ = ["bp", "views"]

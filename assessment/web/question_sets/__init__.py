"""Question sets, for administrators: versions, drafts, the editor, preview, publish, import
and export: ``/admin/question-sets/...``; templates in ``templates/question_sets/``.

Officers reach none of it (403). Every form carries CSRF; every change goes through
``services.drafts`` and the same validator as the files.
"""

from . import question_views, translation_views, views
from .blueprint import bp

__all__ = ["bp", "question_views", "translation_views", "views"]

"""A question type lives in one class per layer: the pure half (questionset/types.py) and the web
half (web/question_types/), with one template. These tests keep the two registries equal and
the README's contributor list true."""

from __future__ import annotations

from pathlib import Path

from assessment import paths
from assessment.questionset import QUESTION_TYPES
from assessment.web.question_types import ADAPTERS

ROOT = Path(__file__).resolve().parents[2]


def test_every_question_type_has_a_web_adapter_and_nothing_else_has_one():
    assert set(ADAPTERS) == set(QUESTION_TYPES)


def test_every_adapter_has_its_template_with_a_field_macro():
    for adapter in ADAPTERS.values():
        template = paths.templates_dir() / adapter.template
        assert template.is_file(), template
        assert "{% macro field(q, state, invalid=False) %}" in template.read_text()


def test_every_adapters_editor_fields_exist_on_the_question_form():
    from wtforms.fields.core import UnboundField

    from assessment.web.question_sets.question_form import QuestionForm

    fields = {n for n in dir(QuestionForm) if isinstance(getattr(QuestionForm, n), UnboundField)}
    for adapter in ADAPTERS.values():
        assert set(adapter.editor_fields) <= fields, adapter.type_name


def test_the_readme_names_the_files_a_new_type_needs():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Adding a question type") :]
    for needed in (
        "assessment/questionset/types.py",
        "assessment/web/question_types/",
        "templates/question_types/",
    ):
        assert needed in section, needed
    for name in ADAPTERS:
        assert (ROOT / "assessment" / "web" / "question_types" / f"{name}.py").is_file()

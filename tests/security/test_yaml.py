"""Hostile question-set files, through ``port-assess questionnaire
validate`` and ``import`` (click's CliRunner on assessment.cli.cli) and the editor's web import:
refused with a ``file:line: message``, nothing executed, nothing stored.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import cli

from .helpers import assert_no_leak, changed_tables, multipart, snapshot, token_of

VALID = """\
schema_version: 1
id: hostile
version: 1
title: Hostile
mitigations:
  - {id: fix, title: Fix it, how: Fix it now., effort: low, horizon: quick_win}
sections:
  - id: only
    title: Only section
    questions:
      - id: age
        type: number
        text: How old is it?
        better: lower
        thresholds: [{value: 5, score: 1}]
        weakness: {title: Old system, severity: low, why: Old systems break.}
        mitigations: [fix]
"""


def python_tags(marker: Path) -> dict[str, tuple[str, str]]:
    """name: (file text, expected message); each would create ``marker`` if it ran."""
    refused = "are not allowed"
    return {
        "object-apply": (
            VALID.replace("id: hostile", f'id: !!python/object/apply:os.mkdir ["{marker}"]'),
            refused,
        ),
        "object-new": (
            VALID.replace("id: hostile", f'id: !!python/object/new:os.mkdir ["{marker}"]'),
            refused,
        ),
        "name": (VALID.replace("title: Hostile", "title: !!python/name:os.system"), refused),
        "module": (VALID.replace("title: Hostile", "title: !!python/module:os"), refused),
        "object": (
            VALID.replace("title: Hostile", "title: !!python/object:pathlib.Path {}"),
            refused,
        ),
        "local-tag": (VALID.replace("title: Hostile", "title: !shell rm -rf /"), refused),
    }


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


ALIASES = {
    "billion-laughs": billion_laughs(),
    "one-alias": VALID.replace("title: Hostile", "title: &t Hostile\ndescription: *t"),
    "merge-key": VALID.replace(
        "mitigations:\n  - {id: fix",
        "base: &base {effort: low}\nmitigations:\n  - {<<: *base, id: fix",
    ),
}


def many_questions(count: int) -> str:
    head = VALID.split("    questions:\n")[0] + "    questions:\n"
    body = "".join(f"      - {{id: q{n}, type: text, text: Q{n}}}\n" for n in range(count))
    return head + body


def deeply_nested(depth: int) -> str:
    return VALID.replace("title: Hostile", "title: " + "[" * depth + "]" * depth)


def validate(path: Path):
    return CliRunner().invoke(cli, ["questionnaire", "validate", str(path)])


def assert_refused_cleanly(result, path: Path, message: str) -> None:
    """Exit 1 with ``file:line: message``, not a crash."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert re.search(
        rf"^{re.escape(str(path))}:\d+: .*{re.escape(message)}", result.output, re.M
    ), result.output
    assert "Traceback" not in result.output


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_valid_file_is_accepted(tmp_path):
    """Control: the file the hostile ones are made from passes."""
    result = validate(write(tmp_path, "valid", VALID))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", list(python_tags(Path("/x"))))
def test_python_tags_are_refused_by_validate(tmp_path, name):
    marker = tmp_path / "pwned"
    text, message = python_tags(marker)[name]
    path = write(tmp_path, name, text)
    assert_refused_cleanly(validate(path), path, message)
    assert not marker.exists()


@pytest.mark.parametrize("name", list(ALIASES))
def test_aliases_are_refused_by_validate(tmp_path, name):
    path = write(tmp_path, name, ALIASES[name])
    assert_refused_cleanly(validate(path), path, "aliases (*name) are not allowed")


def test_a_hundred_thousand_questions_are_refused_by_validate(tmp_path):
    path = write(tmp_path, "huge", many_questions(100_000))
    assert_refused_cleanly(validate(path), path, "the limit is 2 MB")
    path = write(tmp_path, "many", many_questions(1001))  # under 2 MB: the count is the limit
    assert_refused_cleanly(validate(path), path, "1001 questions; the limit is 1000")


def test_deep_nesting_is_refused_by_validate(tmp_path):
    path = write(tmp_path, "deep", deeply_nested(1000))
    assert_refused_cleanly(validate(path), path, "nest")


HOSTILE = {
    **{f"tag-{name}": name for name in python_tags(Path("/x"))},
    **{f"alias-{name}": name for name in ALIASES},
}


def hostile_text(name: str, marker: Path) -> tuple[str, str]:
    kind, _, key = name.partition("-")
    if kind == "tag":
        return python_tags(marker)[key]
    return ALIASES[key], "aliases (*name) are not allowed"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_import_stores_nothing(app, tmp_path, name):
    marker = tmp_path / "pwned"
    text, message = hostile_text(name, marker)
    path = write(tmp_path, name, text)
    before = snapshot(app)
    result = app.test_cli_runner().invoke(cli, ["questionnaire", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert changed_tables(before, snapshot(app)) == []
    assert not marker.exists()


def test_import_of_too_many_questions_stores_nothing(app, tmp_path):
    before = snapshot(app)
    for name, count, message in (
        ("huge", 100_000, "the limit is 2 MB"),
        ("many", 1001, "the limit is 1000"),
    ):
        path = write(tmp_path, name, many_questions(count))
        result = app.test_cli_runner().invoke(cli, ["questionnaire", "import", str(path)])
        assert result.exit_code == 1, result.output
        assert message in result.output
    assert changed_tables(before, snapshot(app)) == []


IMPORT_PAGE = "/admin/question-sets/import"


def upload(admin, name: str, text: str, mode: str):
    body, content_type = multipart(
        {"mode": mode, "csrf_token": token_of(admin, IMPORT_PAGE)},
        {"file": (f"{name}.yaml", text.encode("utf-8"))},
    )
    return admin.post(IMPORT_PAGE, data=body, content_type=content_type)


@pytest.fixture
def admin(client, people):
    client.login(people.admin)
    return client


def test_the_web_import_takes_the_valid_file(app, admin):
    """Control: the upload path works, so the refusals below are about the content."""
    before = snapshot(app)
    assert upload(admin, "valid", VALID, "draft").status_code == 302
    assert "question_set_version" in changed_tables(before, snapshot(app))


@pytest.mark.parametrize("mode", ["draft", "publish"])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_web_import_refuses_and_stores_nothing(app, admin, tmp_path, name, mode):
    marker = tmp_path / "pwned"
    text, message = hostile_text(name, marker)
    before = snapshot(app)
    response = upload(admin, name, text, mode)
    assert response.status_code == 422
    assert_no_leak(response, name)
    assert message in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(app)) == []
    assert not marker.exists()


def test_web_import_of_too_many_questions_stores_nothing(app, admin):
    before = snapshot(app)
    response = upload(admin, "many", many_questions(1001), "publish")
    assert response.status_code == 422
    assert "1001 questions; the limit is 1000" in response.get_data(as_text=True)
    response = upload(admin, "huge", many_questions(100_000), "publish")
    assert response.status_code == 413  # 3.6 MB: over MAX_CONTENT_LENGTH, never parsed
    assert changed_tables(before, snapshot(app)) == []


def test_web_import_of_deep_nesting_is_refused(app, admin):
    before = snapshot(app)
    response = upload(admin, "deep", deeply_nested(1000), "draft")
    assert changed_tables(before, snapshot(app)) == []
    assert response.status_code == 422

"""The JSON Schema beside the format's documentation stays in step with the code."""

from __future__ import annotations

import json

from assessment import paths
from assessment.questionset.schema import json_schema, json_schema_text


def test_the_committed_schema_matches_the_models():
    committed = (paths.questionnaires_dir() / "schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), (
        "questionnaires/schema.json is stale: run "
        "`port-assess questionnaire schema --out questionnaires/schema.json`"
    )


def test_the_schema_knows_every_question_type():
    text = json.dumps(json_schema())
    for type_name in ["single_choice", "maturity", "multiple_choice", "number", "text"]:
        assert f'"{type_name}"' in text


def test_the_schema_accepts_valid_files_and_rejects_a_broken_one():
    import jsonschema

    from assessment.questionset.yaml_io import load_yaml

    validator = jsonschema.Draft202012Validator(json_schema())
    data_dir = paths.PACKAGE_DIR.parent / "tests" / "data"
    for path in [data_dir / "minimal.yaml", *paths.shipped_question_sets()]:
        errors = list(validator.iter_errors(load_yaml(path.read_bytes())))
        assert not errors, f"{path.name}: {errors[0].message}"
    broken = load_yaml((data_dir / "broken-unknown-keys.yaml").read_bytes())
    assert list(validator.iter_errors(broken))

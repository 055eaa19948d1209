"""The JSON Schema of the file format, generated from the models so the two cannot drift."""

from __future__ import annotations

import json

from .document import QuestionSet

SCHEMA_ID = "https://port-assess.invalid/questionnaires/schema.json"


def json_schema() -> dict:
    schema = QuestionSet.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"

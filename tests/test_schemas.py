"""The checked-in JSON Schemas are current, and every field is described."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from advisor.jsonschemas import NAMES, json_schema


@pytest.mark.parametrize("name", NAMES)
def test_checked_in_schema_is_current(name):
    path = ROOT / "advisor" / "schemas" / f"{name}.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == json_schema(name), \
        "run: python scripts/write_schemas.py"


@pytest.mark.parametrize("name", NAMES)
def test_every_field_is_described(name):
    schema = json_schema(name)
    nodes = [("root", schema), *schema.get("$defs", {}).items()]
    missing = [f"{n}.{p}" for n, node in nodes for p, v in node.get("properties", {}).items()
               if not v.get("description")]
    assert missing == []


def test_every_schema_has_a_stable_versioned_id():
    from advisor.jsonschemas import _models, json_schema

    ids = {name: json_schema(name)["$id"] for name in _models()}
    assert len(set(ids.values())) == len(ids)
    assert all(v == f"urn:advisor:schema:{k}:v1" for k, v in ids.items())


def test_example_points_editors_at_the_requirements_schema():
    from conftest import EXAMPLES

    first = (EXAMPLES / "requirements" / "clinic.yaml").read_text(encoding="utf-8").splitlines()[0]
    target = first.split("$schema=")[1]
    assert (EXAMPLES / "requirements" / target).resolve().name == "requirements.schema.json"
    assert (EXAMPLES / "requirements" / target).resolve().exists()

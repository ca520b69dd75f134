"""The start-up cache's plain data: validated objects written and rebuilt exactly, or refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import EXAMPLES, run_cli

from advisor import catalogue as catalogue_module, plaindata
from advisor.engine import loader
from advisor.schema import common, rules as rule_schema
from advisor.schema.common import Source


def _parts(cat):
    return {p: getattr(cat, p) for p in catalogue_module._PARTS}


def test_bundled_catalogue_round_trips_exactly(catalogue):
    classes = catalogue_module._classes()
    raw = plaindata.dump(_parts(catalogue), classes)
    back = plaindata.load(raw, classes)
    assert plaindata.dump(back, classes) == raw
    for part, entries in _parts(catalogue).items():
        if part == "vocabulary":
            assert back[part] == entries
            continue
        assert list(back[part]) == list(entries)
        for key, entry in entries.items():
            again = back[part][key]
            assert type(again) is type(entry) and again == entry
            assert again.model_fields_set == entry.model_fields_set
            assert again.model_dump_json() == entry.model_dump_json()


def test_bundled_rules_round_trip_exactly(rules):
    classes = loader._classes()
    doc = {"rules": [[r.rule, str(r.path)] for r in rules.rules], "dimensions": rules.dimensions}
    back = plaindata.load(plaindata.dump(doc, classes), classes)
    assert [r for r, _ in back["rules"]] == [r.rule for r in rules.rules]
    assert [r.model_dump_json(by_alias=True) for r, _ in back["rules"]] == \
        [r.rule.model_dump_json(by_alias=True) for r in rules.rules]
    assert back["dimensions"] == rules.dimensions


def test_types_that_json_would_blur_come_back_as_they_were():
    classes = plaindata.registry([common])
    source = Source.model_validate({"url": "https://example.org/card", "retrieved": "2026-01-02",
                                    "facts": ["size"], "grade": "primary"})
    back = plaindata.load(plaindata.dump({"s": source, "t": (1, 2.0), "f": 3.0, "d": dt.date(2026, 1, 2)},
                                         classes), classes)
    assert back["s"] == source and back["s"].model_fields_set == source.model_fields_set
    assert type(back["s"].retrieved) is dt.date
    assert back["t"] == (1, 2.0) and type(back["t"]) is tuple and type(back["t"][1]) is float
    assert type(back["f"]) is float and back["d"] == dt.date(2026, 1, 2)


@pytest.mark.parametrize("value", [{1: "a"}, {"\x00m": "Source"}, {1, 2}, dt.datetime(2026, 1, 1), b"bytes"])
def test_what_the_format_cannot_hold_is_refused(value):
    with pytest.raises(plaindata.Unsupported):
        plaindata.dump(value, {})


def test_a_class_outside_the_registry_is_refused_both_ways():
    source = Source.model_validate({"url": "https://example.org/card", "retrieved": "2026-01-02"})
    with pytest.raises(plaindata.Unsupported):
        plaindata.dump(source, plaindata.registry([rule_schema]))
    raw = plaindata.dump(source, plaindata.registry([common]))
    with pytest.raises(ValueError, match="unknown class"):
        plaindata.load(raw, plaindata.registry([rule_schema]))


@pytest.mark.parametrize("doc", [
    b"[]", b'{"format": 99, "data": 1}', b'{"data": 1}', b"\x80garbage{",
    b'{"format": 2, "data": {"\\u0000q": 1}}',
    b'{"format": 2, "data": {"\\u0000m": "Source", "url": "https://example.org"}}',  # the first format
    b'{"format": 2, "data": {"\\u0000m": "Source"}}',
    b'{"format": 2, "data": {"\\u0000m": ["Source", 0, "https://example.org"]}}',  # too few values
    b'{"format": 2, "data": {"\\u0000m": ["Source", "0"]}}',
    b'{"format": 2, "data": {"\\u0000m": [["Source"], 0]}}',
    b'{"format": 2, "data": {"\\u0000d": "2026-13-01"}}',
    b'{"format": 2, "data": {"\\u0000d": "2026-01-01", "x": 1}}',
])
def test_documents_we_did_not_write_are_refused(doc):
    with pytest.raises(ValueError):
        plaindata.load(doc, plaindata.registry([common]))


def test_advice_from_the_cache_is_the_advice_from_the_files(tmp_path):
    """The first run reads the YAML files and writes the cache; the second reads the cache."""
    env = {"ADVISOR_CACHE_DIR": str(tmp_path)}
    for requirements in sorted((EXAMPLES / "requirements").glob("*.yaml"))[:3]:
        args = ("recommend", str(requirements), "--format", "json")
        files = run_cli(*args, env={"ADVISOR_NO_CACHE": "1"})
        first, second = run_cli(*args, env=env), run_cli(*args, env=env)
        assert files.returncode == first.returncode == second.returncode == 0, second.stderr
        assert files.stdout == first.stdout == second.stdout
    written = sorted(p.name.rsplit("-", 1)[0] for p in tmp_path.glob("*.json"))
    assert written == ["catalogue", "catalogue-key", "rules", "rules-key"]
    cached = next(p for p in tmp_path.glob("catalogue-*.json") if "-key-" not in p.name)
    assert json.loads(cached.read_bytes())["format"] == plaindata.FORMAT

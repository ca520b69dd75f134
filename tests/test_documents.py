"""The safe YAML/JSON reader: line numbers, refusals, limits."""

from __future__ import annotations

import pytest

from advisor.documents import parse_json, parse_yaml
from advisor.errors import AdvisorError


def test_lines_of_nested_values():
    data, lines = parse_yaml("a:\n  b:\n    - x\n    - y\nc: 1\n", "f.yaml")
    assert data == {"a": {"b": ["x", "y"]}, "c": 1}
    assert lines.line_of(("a", "b", 1)) == 4
    assert lines.line_of(("c",)) == 5
    assert lines.line_of(("a", "b", 7, "deeper")) == 2  # falls back to the closest known parent


def test_dates_and_merge_keys():
    data, _ = parse_yaml("base: &b {x: 1}\nd: 2026-11-27\nc:\n  <<: *b\n  y: 2\n", "f.yaml")
    assert str(data["d"]) == "2026-11-27"
    assert data["c"] == {"x": 1, "y": 2}


@pytest.mark.parametrize("text,message", [
    ("a: !!python/name:os.system ''\n", "is not allowed"),
    ("a: !custom 3\n", "is not allowed"),
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("a: .inf\n", "NaN and infinite numbers are not allowed"),
    ("? [1, 2]\n: x\n", "a key must be a plain value"),
    ("a: &x [*x]\n", "nested too deeply"),
])
def test_refusals(text, message):
    with pytest.raises(AdvisorError) as exc:
        parse_yaml(text, "f.yaml")
    assert message in str(exc.value)


def test_alias_expansion_is_capped_quickly():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(AdvisorError) as exc:
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert "alias" in str(exc.value)


def test_json_refuses_nan_and_reports_lines():
    with pytest.raises(AdvisorError) as exc:
        parse_json('{"a": NaN}', "f.json")
    assert "NaN is not allowed" in str(exc.value)
    with pytest.raises(AdvisorError) as exc:
        parse_json('{\n"a": 1,\n}', "f.json")
    assert exc.value.line == 3
    data, lines = parse_json('{\n  "a": {\n    "b": 1\n  }\n}', "f.json")
    assert data == {"a": {"b": 1}} and lines.line_of(("a", "b")) == 3


def test_parsing_keeps_nothing_behind():
    """Batch reads one document per row: nothing may accumulate across parses (PyYAML's
    construct_object remembers every node it built, so it is not used)."""
    import gc

    text = '{"use_case": {"tasks": ["chat", "code"], "languages": ["de"], "concurrent_users": 5}, "x": 2024-01-02}'
    for _ in range(50):
        parse_yaml(text, "row")
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(500):
        parse_yaml(text, "row")
    gc.collect()
    assert len(gc.get_objects()) - before < 100  # was about 15 objects per parse

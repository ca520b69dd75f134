"""Reading YAML and JSON documents safely, remembering the line of every value.

Everything advisor reads from disk goes through here:

- files are size-checked before they are read (bounded memory) and decoded as strict UTF-8;
- YAML is parsed with the safe loader and walked node by node: python tags and other unknown
  tags are refused (never constructed), duplicate keys are errors, and the number of values
  an alias can expand to is capped, so an alias bomb fails fast instead of eating memory;
- JSON refuses NaN and Infinity;
- :class:`LineMap` turns a pydantic error location into the line of the offending field.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import AdvisorError, Problem
from .schema.paths import did_you_mean, field_names

try:  # libyaml is much faster; the pure-Python loader behaves the same
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 5_000_000
MAX_VALUES = 200_000
MAX_DEPTH = 64

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge",
}
_scalar_constructor = yaml.SafeLoader("")
"""Only its per-tag scalar constructors are called, directly: ``construct_object`` would keep
every node it ever saw in ``constructed_objects`` (memory growing with each file read)."""


@dataclass
class LineMap:
    """Line (1-based) of each value, keyed by its path of keys and list indexes."""

    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def line_of(self, loc: tuple[Any, ...] | list[Any]) -> int | None:
        loc = tuple(loc)
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]


def read_text(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES, error: type[AdvisorError] = AdvisorError) -> str:
    """The text of a file, or one clear error: missing, a directory, too big, empty, not UTF-8."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise error([Problem("no such file", file=name)])
    if p.is_dir():
        raise error([Problem("is a directory, expected a file", file=name)])
    size = p.stat().st_size
    if size > max_bytes:
        raise error([Problem(f"file is {size:,} bytes; the limit is {max_bytes:,} bytes", file=name)])
    raw = p.read_bytes()
    return decode(raw, name, error=error)


def decode(raw: bytes, name: str, *, error: type[AdvisorError] = AdvisorError) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error([Problem(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                             file=name, line=line)]) from None
    if not text.strip():
        raise error([Problem("file is empty", file=name)])
    return text


def parse_yaml(text: str, name: str, *, error: type[AdvisorError] = AdvisorError) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain Python values, with the line of every value."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "malformed YAML"
        raise error([Problem(f"malformed YAML: {what}", file=name, line=line)]) from None
    except yaml.YAMLError as exc:
        raise error([Problem(f"malformed YAML: {exc}", file=name)]) from None
    if node is None:
        raise error([Problem("file is empty", file=name)])
    walker = _Walker(name, error)
    data = walker.build(node, ())
    return data, walker.lines


def parse_json(text: str, name: str, *, error: type[AdvisorError] = AdvisorError) -> tuple[Any, LineMap]:
    """Parse JSON (NaN and Infinity refused); lines come from a YAML pass over the same text."""

    def no_constant(value: str) -> Any:
        raise ValueError(f"{value} is not allowed")

    try:
        data = json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise error([Problem(f"malformed JSON: {exc.msg}", file=name, line=exc.lineno)]) from None
    except ValueError as exc:
        raise error([Problem(f"malformed JSON: {exc}", file=name)]) from None
    except RecursionError:
        raise error([Problem("malformed JSON: nested too deeply", file=name)]) from None
    try:
        _, lines = parse_yaml(text, name, error=error)
    except AdvisorError:
        lines = LineMap()
    return data, lines


def load_document(path: str | Path, *, error: type[AdvisorError] = AdvisorError,
                  max_bytes: int = MAX_FILE_BYTES) -> tuple[Any, LineMap]:
    """Read a .yaml/.yml/.json file (chosen by suffix; other suffixes are read as YAML)."""
    text = read_text(path, max_bytes=max_bytes, error=error)
    if str(path).lower().endswith(".json"):
        return parse_json(text, str(path), error=error)
    return parse_yaml(text, str(path), error=error)


class _Walker:
    def __init__(self, name: str, error: type[AdvisorError]) -> None:
        self.name = name
        self.error = error
        self.count = 0
        self.lines = LineMap()
        self.active: set[int] = set()

    def fail(self, message: str, node: yaml.Node) -> None:
        raise self.error([Problem(message, file=self.name, line=node.start_mark.line + 1)])

    def build(self, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            self.fail(f"more than {MAX_VALUES:,} values (an alias expanding too often?)", node)
        if len(path) > MAX_DEPTH or id(node) in self.active:
            self.fail("nested too deeply (a recursive alias?)", node)
        if node.tag not in _ALLOWED_TAGS:
            self.fail(f"tag {node.tag!r} is not allowed (only plain YAML data is read, never code)", node)
        self.lines.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            value = _scalar_constructor.yaml_constructors[node.tag](_scalar_constructor, node)
            if isinstance(value, float) and not math.isfinite(value):
                self.fail(f"{node.value!r}: NaN and infinite numbers are not allowed", node)
            return value
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    merged = self.build(value_node, path)
                    for part in merged if isinstance(merged, list) else [merged]:
                        if not isinstance(part, dict):
                            self.fail("'<<' must merge a mapping", value_node)
                        for k, v in part.items():
                            result.setdefault(k, v)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.fail("a key must be a plain value, not a list or mapping", key_node)
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, str | int | bool) and key is not None:
                    key = str(key)
                if key in result:
                    self.fail(f"duplicate key {key!r}", key_node)
                self.lines.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        finally:
            self.active.discard(id(node))


def validation_problems(exc: ValidationError, name: str | None, lines: LineMap,
                        prefix: tuple[Any, ...] = (), model: type | None = None) -> list[Problem]:
    """One Problem per pydantic error, with file, line, dotted field path and, for unknown
    keys or values, the closest valid one."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        full = (*prefix, *loc)
        field_path = ".".join(str(p) for p in loc) or None
        problems.append(Problem(_message(err, loc, model), file=name, line=lines.line_of(full),
                                field=field_path))
    return problems


_TAGS = {"ref", "inline", "compare"}


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the tags pydantic adds for discriminated unions (hardware kinds, rule conditions)."""
    out: list[Any] = []
    for part in loc:
        if isinstance(part, str) and part in _TAGS:
            continue
        if out and part in ("all", "any", "not") and out[-1] == part:
            continue
        out.append(part)
    return tuple(out)


def _message(err: dict[str, Any], loc: tuple[Any, ...], model: type | None) -> str:
    kind = err["type"]
    msg = str(err["msg"])
    if kind == "extra_forbidden":
        hint = ""
        if model is not None and loc:
            hint = did_you_mean(str(loc[-1]), field_names(model, loc[:-1]))
        return f"unknown field{hint}"
    if kind == "literal_error":
        raw = str(err.get("ctx", {}).get("expected", ""))
        expected = re.findall(r"'([^']*)'", raw) or [x for x in re.split(r",\s*|\s+or\s+", raw) if x]
        got = err.get("input")
        hint = did_you_mean(str(got), expected) if expected else ""
        return f"{got!r} is not allowed{hint}; expected one of: {', '.join(expected)}"
    if kind == "missing":
        return "required field is missing"
    msg = msg.removeprefix("Value error, ")
    if kind in ("finite_number",):
        return "NaN and infinite numbers are not allowed"
    return msg[0].lower() + msg[1:] if msg else kind


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Lines of a text file with their numbers, streamed (strict UTF-8)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise AdvisorError([Problem("not valid UTF-8; save the file as UTF-8",
                                            file=str(path), line=number)]) from None

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
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

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
_KINDS = {"int": "whole number", "float": "number", "bool": "true/false value", "timestamp": "date (YYYY-MM-DD)",
          "null": "null value", "str": "text"}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
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


def open_regular(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
                 error: type[AdvisorError] = AdvisorError) -> BinaryIO:
    """Open a regular file for binary reading, or raise one clear error: missing, a broken
    link, a directory, a device, FIFO or socket (opened without blocking, never read), larger
    than ``max_bytes``, or unreadable."""
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        kind = "a broken symbolic link" if os.path.islink(path) else "no such file"
        raise error([Problem(kind, file=name)]) from None
    except OSError as exc:
        raise error([Problem(f"cannot read it: {exc.strerror or exc}", file=name)]) from None
    if stat.S_ISDIR(st.st_mode):
        raise error([Problem("is a directory, expected a file", file=name)])
    if not stat.S_ISREG(st.st_mode):
        raise error([Problem(f"is not a regular file ({_file_kind(st.st_mode)}); save the input to a file first",
                             file=name)])
    if st.st_size > max_bytes:
        raise error([Problem(f"file is {st.st_size:,} bytes; the limit is {max_bytes:,} bytes", file=name)])
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise error([Problem(f"cannot read it: {exc.strerror or exc}", file=name)]) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the stat and the open
        os.close(fd)
        raise error([Problem("is not a regular file", file=name)])
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES,
               error: type[AdvisorError] = AdvisorError) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`), at most ``max_bytes`` of them: the
    read itself is bounded, so a file that grows after the size check cannot exhaust memory."""
    name = str(path)
    with open_regular(path, max_bytes=max_bytes, error=error) as fh:
        try:
            raw = fh.read(max_bytes + 1)
        except OSError as exc:
            raise error([Problem(f"cannot read it: {exc.strerror or exc}", file=name)]) from None
    if len(raw) > max_bytes:
        raise error([Problem(f"file is larger than the limit of {max_bytes:,} bytes", file=name)])
    return raw


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a file"


def read_text(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES, error: type[AdvisorError] = AdvisorError) -> str:
    """The text of a file, or one clear error: missing, a directory or device, too big, empty,
    unreadable, not UTF-8."""
    return decode(read_bytes(path, max_bytes=max_bytes, error=error), str(path), error=error)


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
        raise error([Problem(f"malformed YAML: {_first_line(what)}", file=name, line=line)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (e.g. NUL)
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise error([Problem(f"malformed YAML: the character U+{char:04X} is not allowed in YAML", file=name,
                             line=line)]) from None
    except yaml.YAMLError as exc:
        raise error([Problem(f"malformed YAML: {_first_line(str(exc))}", file=name)]) from None
    except RecursionError:
        raise error([Problem("malformed YAML: nested too deeply", file=name)]) from None
    if node is None:
        raise error([Problem("file is empty", file=name)])
    walker = _Walker(name, error)
    data = walker.build(node, ())
    return data, walker.lines


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "malformed"


def _no_constant(value: str) -> Any:
    raise ValueError(f"{value} is not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def loads_json(text: str, name: str, *, error: type[AdvisorError] = AdvisorError, line: int | None = None) -> Any:
    """Parse JSON: NaN and Infinity refused, duplicate keys refused (as in YAML)."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        where = line if line is not None else exc.lineno
        raise error([Problem(f"malformed JSON: {exc.msg}", file=name, line=where)]) from None
    except ValueError as exc:
        raise error([Problem(f"malformed JSON: {exc}", file=name, line=line)]) from None
    except RecursionError:
        raise error([Problem("malformed JSON: nested too deeply", file=name, line=line)]) from None


def parse_json(text: str, name: str, *, error: type[AdvisorError] = AdvisorError) -> tuple[Any, LineMap]:
    """Parse a JSON document; lines come from a YAML pass over the same text."""
    data = loads_json(text, name, error=error)
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

    def fail(self, message: str, node: yaml.Node, path: tuple[Any, ...] = ()) -> None:
        field = ".".join(str(p) for p in path if p != "<key>") or None
        raise self.error([Problem(message, file=self.name, line=node.start_mark.line + 1, field=field)])

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
            if node.tag in _COLLECTION_TAGS:
                self.fail(f"tag {node.tag.rsplit(':', 1)[-1]!r} on a plain value", node, path)
            if node.tag == "tag:yaml.org,2002:merge":
                self.fail("'<<' may only be used as a key, to merge a mapping", node, path)
            try:
                value = _scalar_constructor.yaml_constructors[node.tag](_scalar_constructor, node)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError,
                    yaml.YAMLError) as exc:
                kind = node.tag.rsplit(":", 1)[-1]
                reason = ""
                if kind == "timestamp" and isinstance(exc, ValueError):
                    reason = f" ({_first_line(str(exc))}; put it in quotes if you mean text)"
                elif "digits" in str(exc):
                    reason = " (more than 4,300 digits)"
                self.fail(f"{_short(node.value)!r} is not a valid {_KINDS.get(kind, kind)}{reason}", node, path)
            if isinstance(value, float) and not math.isfinite(value):
                self.fail(f"{_short(node.value)!r}: NaN and infinite numbers are not allowed", node, path)
            return value
        if not isinstance(node, yaml.SequenceNode | yaml.MappingNode):  # pragma: no cover - composer guarantees
            self.fail("unexpected YAML node", node)
        expected = "tag:yaml.org,2002:seq" if isinstance(node, yaml.SequenceNode) else "tag:yaml.org,2002:map"
        if node.tag != expected:
            self.fail(f"tag {node.tag.rsplit(':', 1)[-1]!r} does not fit a "
                      f"{'list' if expected.endswith('seq') else 'mapping'}", node)
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


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


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


def iter_lines(fh: Any) -> Iterator[tuple[int, str | None]]:
    """Lines of an open binary file with their numbers, streamed; a line that is not valid
    UTF-8 comes as None (the caller turns it into an error row: one bad line never ends a batch)."""
    for number, raw in enumerate(fh, start=1):
        try:
            yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, None

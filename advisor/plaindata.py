"""Validated schema objects as plain JSON and back, for the start-up cache.

:func:`dump` writes each pydantic object as a JSON object with one key, its tag, holding a list:
its class name, which fields were not set (pydantic's ``model_fields_set``, as a bit mask over
the schema's fields in order), then every field's value in the schema's order (no field names:
they were a quarter of the file, and parsing them a third of the time to read it). Dates and
tuples are tagged values, and everything else is as JSON already holds it (a float stays a float:
``1.0`` is written as ``1.0``). :func:`load` rebuilds the very same objects without validating
them a second time: the start-up cache holds only what advisor validated and wrote itself, under
a key naming advisor's code and the data files' contents, in a file only its owner can write
(:mod:`advisor.cache`). Classes are looked up by name among those the caller lists, and an object
must hold exactly as many values as its class has fields; nothing is imported or executed.
Anything the format cannot say exactly (another type, a dictionary key that is not a string) is
refused when writing, so the round trip is exact or does not happen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from .collector import paused

FORMAT = 2
CLASS, DATE, TUPLE = "\x00m", "\x00d", "\x00t"


class Unsupported(TypeError):
    """A value the plain-data format cannot hold exactly."""


def registry(modules: Iterable[object]) -> dict[str, type[BaseModel]]:
    """The pydantic classes defined in ``modules``, by name (a name defined twice is refused)."""
    classes: dict[str, type[BaseModel]] = {}
    for module in modules:
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, BaseModel)
                    and value.__module__ == getattr(module, "__name__", None)):
                if classes.get(value.__name__, value) is not value:
                    raise ValueError(f"two schema classes named {value.__name__}")
                classes[value.__name__] = value
    return classes


def dump(value: Any, classes: dict[str, type[BaseModel]]) -> bytes:
    return json.dumps({"format": FORMAT, "data": _plain(value, classes)}, ensure_ascii=False,
                      separators=(",", ":"), allow_nan=False).encode()


def _plain(value: Any, classes: dict[str, type[BaseModel]]) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is list:
        return [_plain(v, classes) for v in value]
    if kind is tuple:
        return {TUPLE: [_plain(v, classes) for v in value]}
    if kind is dict:
        if not all(type(k) is str and not k.startswith("\x00") for k in value):
            raise Unsupported("a dictionary key that is not a plain string")
        return {k: _plain(v, classes) for k, v in value.items()}
    if kind is dt.date:
        return {DATE: value.isoformat()}
    if isinstance(value, BaseModel):
        name = kind.__name__
        if classes.get(name) is not kind:
            raise Unsupported(f"class {kind.__module__}.{name} is not in the registry")
        if value.__pydantic_extra__ or value.__pydantic_private__ or kind.__private_attributes__:
            raise Unsupported(f"{name} has extra or private attributes")
        fields, given, values = kind.model_fields, value.model_fields_set, value.__dict__
        unset = sum(1 << i for i, f in enumerate(fields) if f not in given)
        return {CLASS: [name, unset, *(_plain(values[f], classes) for f in fields)]}
    raise Unsupported(f"a value of type {kind.__name__}")


def load(raw: bytes | str, classes: dict[str, type[BaseModel]]) -> Any:
    """What :func:`dump` wrote, rebuilt; ValueError when it is not such a document."""
    fields = {name: tuple(cls.model_fields) for name, cls in classes.items()}
    given: dict[tuple[str, int], frozenset[str]] = {}  # the fields set, per class and mask
    new, setattr_ = object.__new__, object.__setattr__

    def hook(d: dict[str, Any]) -> Any:
        for first in d:  # only the first key says what the object is
            if first[0] != "\x00":
                return d
            if len(d) != 1:
                raise ValueError("a tagged value with other keys in plain data")
            if first == CLASS:
                body = d[CLASS]
                if type(body) is not list or len(body) < 2 or type(body[0]) is not str or type(body[1]) is not int:
                    raise ValueError("a malformed object in plain data")
                name, unset = body[0], body[1]
                names = fields.get(name)
                if names is None:
                    raise ValueError(f"an unknown class {name!r} in plain data")
                if len(body) - 2 != len(names):
                    raise ValueError(f"the fields of {name} differ from its schema")
                obj = new(classes[name])
                setattr_(obj, "__dict__", dict(zip(names, body[2:])))
                set_ = given.get((name, unset))
                if set_ is None:
                    set_ = given[name, unset] = frozenset(f for i, f in enumerate(names) if not unset >> i & 1)
                setattr_(obj, "__pydantic_fields_set__", set(set_))
                setattr_(obj, "__pydantic_extra__", None)
                setattr_(obj, "__pydantic_private__", None)
                return obj
            if first == DATE:
                return dt.date.fromisoformat(d[DATE])
            if first == TUPLE:
                return tuple(d[TUPLE])
            raise ValueError("an unknown tag in plain data")
        return d

    with paused():  # tens of thousands of new objects, none garbage: no collection while they arrive
        doc = json.loads(raw, object_hook=hook)
    if type(doc) is not dict or doc.get("format") != FORMAT or "data" not in doc:
        raise ValueError("not advisor plain data of this format")
    return doc["data"]

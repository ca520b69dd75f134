"""Resolving dotted field paths against the pydantic models, with "did you mean" help.

Used by the rule loader (every field a condition or message names must exist) and by error
messages (an unknown key gets the closest valid names as a suggestion).
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel

_SCALARS = (str, int, float, bool)


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] (X | None)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def closest(word: str, options: typing.Iterable[str]) -> str | None:
    import difflib  # only for a message about a mistake: not on every start-up

    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, options: typing.Iterable[str]) -> str:
    guess = closest(word, options)
    return f" (did you mean {guess!r}?)" if guess else ""


class PathError(ValueError):
    """A path names a field that does not exist."""


def resolve(root: Any, parts: list[str] | tuple[str, ...], *, extra: dict[type, dict[str, Any]] | None = None) -> Any:
    """The annotation of the field at ``parts`` below ``root`` (a model class or annotation).

    ``extra`` maps a model class to additional read-only attributes (properties) with their
    annotation. List elements are addressed by position only in error locations, so integer
    parts are skipped; a dict is addressed by key (any key resolves to its value type).
    """
    current = root
    walked: list[str] = []
    for part in parts:
        current = _unwrap(current)
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            origin = typing.get_origin(current)
            if origin is list:
                current = typing.get_args(current)[0]
                walked.append(str(part))
                continue
            raise PathError(f"{'.'.join(walked) or 'value'} is not a list")
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = current.model_fields
            props = (extra or {}).get(current, {})
            if part in fields:
                current = fields[part].annotation
            elif part in props:
                current = props[part]
            else:
                names = sorted([*fields, *props])
                where = ".".join(walked) or current.__name__
                raise PathError(f"{where} has no field {part!r}{did_you_mean(part, names)}")
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            raise PathError(f"{'.'.join(walked)} is a value, it has no field {part!r}")
        walked.append(part)
    return current


def field_names(root: Any, parts: list[Any] | tuple[Any, ...]) -> list[str]:
    """Valid keys of the mapping at ``parts`` (empty if it is not a model)."""
    try:
        target = _unwrap(resolve(root, [p for p in parts if not isinstance(p, int)]))
    except PathError:
        return []
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    if typing.get_origin(target) in (Union, types.UnionType):
        names: list[str] = []
        for arg in typing.get_args(target):
            arg = _unwrap(arg)
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                names += [n for n in arg.model_fields if n not in names]
        return names
    return []


def literal_values(annotation: Any) -> list[Any] | None:
    """The allowed values of a Literal (also inside list[...]), else None."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is list:
        annotation = _unwrap(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is Literal:
        return list(typing.get_args(annotation))
    return None


def kind_of(annotation: Any) -> str:
    """A coarse kind for operator checks: 'list', 'number', 'bool', 'text', 'mapping', 'model'."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return "list"
    if origin is dict:
        return "mapping"
    if origin is Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, bool) for v in values):
            return "bool"
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return "number"
        return "text"
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model"
    if origin in (Union, types.UnionType):
        return "model"
    return "text"

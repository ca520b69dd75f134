"""Building blocks shared by every schema: a strict base model and provenance."""

import copy
import datetime as dt
import re
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .iso import COUNTRIES, LANGUAGES


class Strict(BaseModel):
    """Base of every advisor schema: unknown keys are errors, objects are immutable.

    Fields are documented by the docstring below each one. They become the field
    descriptions of the JSON Schemas (:mod:`advisor.jsonschemas`); reading them at import time
    would slow every start-up, so it is done only when a schema is generated. For the same
    reason the schema modules and the engine's fact classes do not use ``from __future__ import
    annotations``: pydantic would compile every annotation string at import (about 550 of them,
    6 ms of a cold start); only names defined further down are quoted.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False,
        defer_build=True,
    )


M = TypeVar("M", bound=BaseModel)
_MISSING, _MAKE = object(), object()
Template = tuple[dict[str, Any], dict[str, Callable[[], Any]], frozenset[str], frozenset[str]]
_TEMPLATES: dict[type, Template | None] = {}


def _template(cls: type[BaseModel]) -> Template | None:
    """Every field of ``cls`` in order with its default (or a marker), how to make the defaults
    that must be fresh per object, and the field names (all, required); None when ``cls`` needs
    pydantic's own ``model_construct`` (aliases, a post-init hook, a factory reading other fields)."""
    if cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow":
        return None
    template: dict[str, Any] = {}
    makers: dict[str, Callable[[], Any]] = {}
    for name, f in cls.model_fields.items():
        if f.alias not in (None, name) or f.validation_alias is not None or f.default_factory_takes_validated_data:
            return None
        if f.is_required():
            template[name] = _MISSING
        elif f.default_factory is not None:
            template[name], makers[name] = _MAKE, f.default_factory  # type: ignore[assignment]
        elif isinstance(f.default, (list, dict, set)):  # pydantic copies mutable defaults
            template[name] = _MAKE
            makers[name] = partial(copy.deepcopy, f.default) if f.default else type(f.default)
        else:
            template[name] = f.default
    required = frozenset(n for n, v in template.items() if v is _MISSING)
    return template, makers, frozenset(template), required


def construct(cls: type[M], **values: Any) -> M:
    """What ``cls.model_construct(**values)`` returns (the same field order, defaults and
    ``model_fields_set``) for trusted values, without walking every field's default on each
    call: the engine builds thousands of these per profile."""
    if cls not in _TEMPLATES:
        _TEMPLATES[cls] = _template(cls)
    plan = _TEMPLATES[cls]
    if plan is None:
        return cls.model_construct(**values)
    template, makers, names, required = plan
    if not names.issuperset(values):
        raise TypeError(f"{cls.__name__}: unknown fields {sorted(set(values) - names)}")
    fields = template.copy()
    fields.update(values)
    for name, make in makers.items():
        if fields[name] is _MAKE:
            fields[name] = make()
    for name in required.difference(values):
        del fields[name]
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def updated(model: M, **changes: Any) -> M:
    """What ``model.model_copy(update=changes)`` returns (a shallow copy with ``changes`` set and
    counted as set) for a model built by :func:`construct`, without pydantic's general copy."""
    if model.__pydantic_extra__ is not None or model.__pydantic_private__ is not None:
        return model.model_copy(update=changes)
    copied = type(model).__new__(type(model))
    fields = model.__dict__.copy()
    fields.update(changes)
    object.__setattr__(copied, "__dict__", fields)
    object.__setattr__(copied, "__pydantic_fields_set__", model.__pydantic_fields_set__ | changes.keys())
    object.__setattr__(copied, "__pydantic_extra__", None)
    object.__setattr__(copied, "__pydantic_private__", None)
    return copied


def _country(value: str) -> str:
    if value not in COUNTRIES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, CH)")
    return value


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"{value!r} is not an ISO 639-1 language code (e.g. de, fr, en)")
    return value


_YM = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _year_month(value: str) -> str:
    if not _YM.match(value):
        raise ValueError(f"{value!r} is not a year-month in the form YYYY-MM")
    return value


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Country = Annotated[str, AfterValidator(_country), Field(description="ISO 3166-1 alpha-2 country code")]
Language = Annotated[str, AfterValidator(_language), Field(description="ISO 639-1 language code")]
YearMonth = Annotated[str, AfterValidator(_year_month), Field(description="year and month, YYYY-MM")]
Url = Annotated[str, AfterValidator(_url), Field(description="an http(s) URL")]
Identifier = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80,
          description="lower-case id: letters, digits, '.', '-' and '_'"),
]


Grade = Literal["primary", "copy", "derived", "estimate"]
"""How strong the evidence for a fact is, best first."""
GRADES: tuple[str, ...] = Grade.__args__  # type: ignore[attr-defined]


class Source(Strict):
    """Where a fact was read, and when; for catalogue facts also how strong the evidence is.

    Grades: ``primary`` = the publisher's own card, config, report or licence text;
    ``copy`` = a verbatim copy of an official file (``copy_of`` names what it copies: a
    re-upload whose config.json names the official snapshot, a quantized repository, GGUF
    metadata, a config vendored in an inference engine's repository); ``derived`` = from a
    documented base model or the family's published configuration (``derived_from`` names it);
    ``estimate`` = computed by a stated ``method`` (never for licence facts)."""

    url: Url
    """The page, file or document that was read (model card, config.json, licence text, report)."""
    retrieved: dt.date
    """The day the source was read (YYYY-MM-DD)."""
    note: str | None = None
    """What this source confirms, e.g. 'config.json: layers, KV heads, head_dim'."""
    grade: Grade | None = None
    """Evidence grade of the facts this source supports (see the class description)."""
    facts: list[str] = Field(default_factory=list)
    """Which facts of the entry this source supports (e.g. params, architecture, context)."""
    copy_of: str | None = None
    """Grade copy: the official file or repository this is a verbatim copy of."""
    derived_from: str | None = None
    """Grade derived: the base model or family configuration the facts come from."""
    method: str | None = None
    """Grade estimate: how the number was computed."""

    @model_validator(mode="after")
    def _graded(self) -> "Source":
        if self.facts and self.grade is None:
            raise ValueError("a source that names facts needs a grade (primary, copy, derived or estimate)")
        needs = {"copy": ("copy_of", self.copy_of), "derived": ("derived_from", self.derived_from),
                 "estimate": ("method", self.method)}
        if self.grade in needs and not needs[self.grade][1]:
            raise ValueError(f"grade {self.grade!r} needs {needs[self.grade][0]}")
        return self

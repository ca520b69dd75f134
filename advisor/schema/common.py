"""Building blocks shared by every schema: a strict base model and provenance."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .iso import COUNTRIES, LANGUAGES


class Strict(BaseModel):
    """Base of every advisor schema: unknown keys are errors, objects are immutable.

    Fields are documented by the docstring below each one. They become the field
    descriptions of the JSON Schemas (:mod:`advisor.jsonschemas`); reading them at import time
    would slow every start-up, so it is done only when a schema is generated.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False,
        defer_build=True,
    )


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
    def _graded(self) -> Source:
        if self.facts and self.grade is None:
            raise ValueError("a source that names facts needs a grade (primary, copy, derived or estimate)")
        needs = {"copy": ("copy_of", self.copy_of), "derived": ("derived_from", self.derived_from),
                 "estimate": ("method", self.method)}
        if self.grade in needs and not needs[self.grade][1]:
            raise ValueError(f"grade {self.grade!r} needs {needs[self.grade][0]}")
        return self

"""Building blocks shared by every schema: a strict base model and provenance."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


class Source(Strict):
    """Where a fact was read, and when."""

    url: Url
    """The page, file or document that was read (model card, config.json, licence text, report)."""
    retrieved: dt.date
    """The day the source was read (YYYY-MM-DD)."""
    note: str | None = None
    """What this source confirms, e.g. 'config.json: layers, KV heads, head_dim'."""

"""JSON Schemas generated from the pydantic models (the models are the schema).

Copies are checked in under ``advisor/schemas/`` for editors; ``scripts/write_schemas.py``
rewrites them and a test fails when they are out of date.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def _models() -> dict[str, type[BaseModel]]:
    from .schema.advice import Advice
    from .schema.catalogue import HardwareFile, HostingFile, Licence, ModelEntry, PublisherFile, Vocabulary
    from .schema.requirements import Requirements
    from .schema.rules import Rule, RuleTests

    return {
        "requirements": Requirements, "catalogue": ModelEntry, "licence": Licence, "publishers": PublisherFile,
        "hardware": HardwareFile, "hosting": HostingFile, "vocabulary": Vocabulary, "rules": Rule,
        "rule-tests": RuleTests, "advice": Advice,
    }


NAMES = ("requirements", "catalogue", "licence", "publishers", "hardware", "hosting", "vocabulary", "rules",
         "rule-tests", "advice")


def json_schema(name: str) -> dict[str, Any]:
    model = _models()[name]
    schema = model.model_json_schema(mode="validation" if name != "advice" else "serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", model.__name__)
    return schema

"""JSON Schemas generated from the pydantic models (the models are the schema).

Field descriptions come from the docstring written below each field; they are read here,
when a schema is generated, not at import time (that would slow every start-up).
Copies are checked in under ``advisor/schemas/`` for editors; ``scripts/write_schemas.py``
rewrites them and a test fails when they are out of date.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic._internal._docs_extraction import extract_docstrings_from_cls

NAMES = ("requirements", "catalogue", "licence", "publishers", "hardware", "hosting", "vocabulary", "rules",
         "rule-tests", "advice")


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


def field_docs(cls: type[BaseModel]) -> dict[str, str]:
    """Field name -> the docstring written below it (inherited fields included)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if isinstance(klass, type) and issubclass(klass, BaseModel) and klass is not BaseModel:
            docs.update(extract_docstrings_from_cls(klass, use_inspect=True))
    return docs


def _classes(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model class reachable from ``root``, by class name."""
    seen: dict[str, type[BaseModel]] = {}
    stack: list[Any] = [root]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in seen:
                continue
            seen[tp.__name__] = tp
            stack += [f.annotation for f in tp.model_fields.values()]
            continue
        stack += list(typing.get_args(tp))
    return seen


def _describe(node: dict[str, Any], cls: type[BaseModel]) -> None:
    docs = field_docs(cls)
    for name, info in cls.model_fields.items():
        prop = node.get("properties", {}).get(info.alias or name)
        if prop is not None and name in docs and "description" not in prop:
            prop["description"] = docs[name]


def json_schema(name: str) -> dict[str, Any]:
    model = _models()[name]
    schema = model.model_json_schema(mode="validation" if name != "advice" else "serialization")
    classes = _classes(model)
    _describe(schema, model)
    for def_name, node in schema.get("$defs", {}).items():
        if def_name in classes:
            _describe(node, classes[def_name])
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = schema_id(name)
    return schema


SCHEMA_VERSION = 1
"""Version of the file formats (requirements ``schema_version``); bumped only on breaking changes."""


def schema_id(name: str) -> str:
    """A stable, versioned identifier: it names the format, it is not a download address (the
    schemas ship inside the package as advisor/schemas/NAME.schema.json)."""
    return f"urn:advisor:schema:{name}:v{SCHEMA_VERSION}"

"""The one entry point: ``advise(requirements) -> Advice``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .catalogue import Catalogue, load_catalogue
from .documents import LineMap, load_document, validation_problems
from .engine.advice import advise as _advise
from .engine.evaluate import Evaluator, check_requirements
from .engine.loader import RuleSet, load_rules
from .errors import Problem, RequirementsError
from .schema.advice import Advice, Ranking
from .schema.requirements import Requirements

__all__ = ["advise", "load_requirements", "parse_requirements", "read_requirements"]


def parse_requirements(data: Any, *, source: str | None = None, lines: LineMap | None = None,
                       prefix: tuple[Any, ...] = ()) -> Requirements:
    """Validate plain data (a mapping) as Requirements; errors name file, line and field."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise RequirementsError([Problem(f"expected a mapping of requirements, got {kind}", file=source,
                                         line=1 if source else None)])
    try:
        return Requirements.model_validate(data)
    except ValidationError as exc:
        raise RequirementsError(validation_problems(exc, source, lines or LineMap(), prefix,
                                                    model=Requirements)) from None


def read_requirements(path: str | Path) -> tuple[Requirements, LineMap]:
    """Read a requirements file (YAML or JSON), with the line of every field."""
    data, lines = load_document(path, error=RequirementsError)
    return parse_requirements(data, source=str(path), lines=lines), lines


def load_requirements(path: str | Path) -> Requirements:
    """Read a requirements file (YAML or JSON)."""
    return read_requirements(path)[0]


def _prepared(requirements: Requirements | dict[str, Any] | str | Path, catalogue: Catalogue | None,
              rules: RuleSet | None) -> Evaluator:
    """Requirements validated against the catalogue, ready to score."""
    source, lines = None, None
    if isinstance(requirements, Requirements):
        req = requirements
    elif isinstance(requirements, dict):
        req = parse_requirements(requirements)
    else:
        req, lines = read_requirements(requirements)
        source = str(requirements)
    catalogue = catalogue if catalogue is not None else load_catalogue()
    rules = rules if rules is not None else load_rules()
    check_requirements(req, catalogue, source=source, lines=lines)
    return Evaluator(req, catalogue, rules)


def advise(requirements: Requirements | dict[str, Any] | str | Path, *,
           catalogue: Catalogue | None = None, rules: RuleSet | None = None) -> Advice:
    """Score the catalogue against ``requirements`` (a Requirements object, a mapping or a
    path to a YAML/JSON file) and explain the result. Pure and deterministic."""
    return _advise(_prepared(requirements, catalogue, rules))


def rank(requirements: Requirements | dict[str, Any] | str | Path, *,
         catalogue: Catalogue | None = None, rules: RuleSet | None = None) -> Ranking:
    """The ranking without its explanation: model ids in order with totals and dimension scores,
    excluded ids with their first exclusion rule (what the wizard's what-if re-ranks with)."""
    return _prepared(requirements, catalogue, rules).rank()

"""Running each rule's example cases (``<rule-id>.test.yaml``), as semgrep runs its rule tests.

A case gives requirements, a catalogue model (optionally patched) and whether the rule must
fire. Every rule needs at least one case that must match and one that must not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..api import parse_requirements
from ..catalogue import Catalogue
from ..documents import load_document, validation_problems
from ..errors import AdvisorError, Problem, RuleError
from ..schema.catalogue import ModelEntry
from ..schema.rules import RuleCase, RuleTests
from .conditions import Context, fold
from .evaluate import Evaluator
from .loader import CompiledRule, RuleSet


@dataclass
class CaseResult:
    rule: str
    case: str
    passed: bool
    detail: str = ""
    todo: bool = False
    file: str = ""


def test_path(rule: CompiledRule) -> Path:
    return rule.path.with_name(f"{rule.id}.test.yaml")


def load_cases(rule: CompiledRule) -> RuleTests:
    path = test_path(rule)
    if not path.exists():
        raise RuleError([Problem(f"rule {rule.id} has no example cases; add {path.name} beside it "
                                 "with at least one case that matches and one that does not", file=str(rule.path))])
    data, lines = load_document(path, error=RuleError)
    try:
        tests = RuleTests.model_validate(data)
    except ValidationError as exc:
        raise RuleError(validation_problems(exc, str(path), lines, model=RuleTests)) from None
    live = [c for c in tests.cases if not c.todo]
    if not any(c.expect.matches for c in live) or all(c.expect.matches for c in live):
        raise RuleError([Problem("needs at least one case with matches: true and one with matches: false",
                                 file=str(path), field="cases")])
    return tests


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and value:
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _patched(obj: BaseModel, patch: dict[str, Any]) -> Any:
    if not patch:
        return obj
    try:
        return type(obj).model_validate(_merge(obj.model_dump(), patch))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RuleError([Problem(f"the patch of {type(obj).__name__} does not fit its schema: {where}: "
                                 f"{first['msg']}")]) from None


def run_case(rule: CompiledRule, case: RuleCase, catalogue: Catalogue,
             rules: RuleSet) -> tuple[bool, str, float | None]:
    """(rule fired?, rendered message or '', points it gives or None)."""
    req = parse_requirements(_merge({"use_case": {"tasks": ["chat"]}}, case.requirements),
                             source=f"{rule.id} case {case.name!r}")
    ev = Evaluator(req, catalogue, rules)
    model = catalogue.model(case.model)
    if case.model_patch:
        patch = dict(case.model_patch)
        if patch.get("architecture") == {}:
            model = model.model_copy(update={"architecture": type(model.architecture)()})
            patch.pop("architecture")
        model = _patched(model, patch) if patch else model
        assert isinstance(model, ModelEntry)
    licence = _patched(catalogue.licence_facts[model.id], case.licence_patch)
    publisher = _patched(catalogue.publishers[model.publisher], case.publisher_patch)
    ctx = ev.context(model, licence, publisher)
    ctx = Context(ctx.req, ctx.model, ctx.licence, ctx.publisher,
                  _patched(ctx.deployment, case.deployment_patch), _patched(ctx.derived, case.derived_patch))
    if rule.when is not None and not rule.when(Context(req)):
        return False, "", None
    matched = rule.match is None or rule.match(ctx)
    step = fold(rule.rule.match, ctx, {}) if rule.rule.match is not None else True
    if matched != (step if isinstance(step, bool) else step(ctx)):
        raise RuleError([Problem(f"the compiled program decides this case {'no match' if matched else 'a match'}, "
                                 f"the reference {'a match' if matched else 'no match'}")])
    if not matched:
        return False, "", None
    points = round(rule.points(ctx), 1) if rule.points is not None else None
    return True, rule.render(ctx), points


def run_rule_tests(rules: RuleSet, catalogue: Catalogue, only: str | None = None) -> list[CaseResult]:
    results: list[CaseResult] = []
    for rule in rules.rules:
        if only and rule.id != only:
            continue
        try:
            tests = load_cases(rule)
        except AdvisorError as exc:
            results.append(CaseResult(rule.id, "(test file)", False, str(exc), file=str(test_path(rule))))
            continue
        for case in tests.cases:
            try:
                fired, message, points = run_case(rule, case, catalogue, rules)
            except AdvisorError as exc:
                results.append(CaseResult(rule.id, case.name, False, f"case is invalid: {exc}", case.todo,
                                          str(test_path(rule))))
                continue
            problems = []
            if fired != case.expect.matches:
                problems.append(f"expected {'a match' if case.expect.matches else 'no match'}, got "
                                f"{'a match' if fired else 'no match'}")
            if fired and case.expect.message_contains and case.expect.message_contains not in message:
                problems.append(f"message lacks {case.expect.message_contains!r}: {message!r}")
            if fired and case.expect.points is not None and points != case.expect.points:
                problems.append(f"expected {case.expect.points:g} points, got {points}")
            results.append(CaseResult(rule.id, case.name, not problems, "; ".join(problems), case.todo,
                                      str(test_path(rule))))
    return results


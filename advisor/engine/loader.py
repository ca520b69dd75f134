"""Loading rules: YAML -> Rule -> CompiledRule, with every path, operator, constant and
message placeholder checked when the file is read.

Layout: ``<dir>/dimensions.yaml`` and ``<dir>/**/<rule-id>.yaml`` with ``<rule-id>.test.yaml``
beside each rule. Overlay directories add rules or replace bundled ones with the same id.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .. import cache, plaindata
from ..documents import LineMap, load_document, validation_problems
from ..errors import Problem, RuleError
from ..schema.rules import Dimensions, Rule
from .conditions import (
    CompileError,
    Context,
    Predicate,
    annotation_of,
    compile_condition,
    compile_template,
    getter,
    roots_read,
)

__all__ = ["CompiledRule", "RuleSet", "load_rules"]


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    when: Predicate | None
    match: Predicate | None
    render: Callable[[Context], str]
    points: Callable[[Context], float] | None
    path: Path
    kind: str = field(init=False)
    """The effect's kind (exclude, points, warn, obligation), read once per rule and profile."""
    matches_deployment: bool = field(init=False)
    """Whether the match condition reads the deployment plan (``rank()`` plans a model only
    when an exclusion it must decide does)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self.rule.effect.kind)
        object.__setattr__(self, "matches_deployment",
                           self.rule.match is not None and "deployment" in roots_read(self.rule.match))

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def needs_model(self) -> bool:
        return self.match is not None or self.kind != "obligation"


@dataclass(frozen=True)
class RuleSet:
    """The loaded rules (ordered by id) and the dimension settings."""

    rules: tuple[CompiledRule, ...]
    dimensions: Dimensions
    dirs: tuple[Path, ...] = ()
    files: dict[str, Path] = field(default_factory=dict, compare=False)

    def by_id(self, rule_id: str) -> CompiledRule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def load_rules(*dirs: str | Path, bundled: bool = True) -> RuleSet:
    """Load the bundled rules plus overlay directories. Loaded rule sets are kept per set of
    directories for the life of the process, and reloaded when any of their files changes."""
    from ..catalogue import bundled_dir

    paths = [bundled_dir("rules")] if bundled else []
    for d in dirs:
        paths.append(cache.readable_dir(d, RuleError, "rules"))
    return _LOADED.get(tuple(p.resolve() for p in paths), _load)


_LOADED: cache.Loaded[RuleSet] = cache.Loaded()


@functools.cache
def _classes() -> dict[str, type[BaseModel]]:
    """The schema classes cached rules hold."""
    from ..schema import common, rules

    return plaindata.registry([rules, common])


def _load(dirs: tuple[Path, ...], sig: tuple[object, ...] | None = None) -> RuleSet:
    key = cache.fingerprint("rules", dirs, sig)
    raw = cache.load("rules", key)
    if raw is not None:
        try:
            data = plaindata.load(raw, _classes())
            if not (type(data["dimensions"]) is Dimensions and all(type(r) is Rule for r, _ in data["rules"])):
                raise ValueError("cached rules hold another kind of entry")
            rules = tuple(compile_rule(rule, Path(path)) for rule, path in data["rules"])
            return RuleSet(rules, data["dimensions"], dirs, {r.id: r.path for r in rules})
        except (ValueError, KeyError, TypeError, AttributeError, RuleError):
            pass  # corrupt, or not written by this advisor: rebuilt below
    ruleset = _read(dirs)
    cache.store("rules", key, plaindata.dump(
        {"rules": [[r.rule, str(r.path)] for r in ruleset.rules], "dimensions": ruleset.dimensions}, _classes()))
    return ruleset


def _read(dirs: tuple[Path, ...]) -> RuleSet:
    problems: list[Problem] = []
    compiled: dict[str, CompiledRule] = {}
    dimensions: Dimensions | None = None
    for d in dirs:
        dims = d / "dimensions.yaml"
        if dims.exists():
            try:
                data, lines = load_document(dims, error=RuleError)
                dimensions = Dimensions.model_validate(data)
            except RuleError as exc:
                problems += exc.problems
            except ValidationError as exc:
                problems += validation_problems(exc, str(dims), lines, model=Dimensions)
        seen_here: dict[str, Path] = {}
        for path in cache.data_files(d):
            if path.name.endswith(".test.yaml") or path.name == "dimensions.yaml":
                continue
            try:
                rule = compile_rule_file(path)
            except RuleError as exc:
                problems += exc.problems
                continue
            if rule.id in seen_here:
                problems.append(Problem(f"duplicate rule id {rule.id!r} (also in {seen_here[rule.id]})",
                                        file=str(path), field="id"))
                continue
            seen_here[rule.id] = path
            compiled[rule.id] = rule
    if dimensions is None:
        problems.append(Problem("dimensions.yaml is missing", file=str(dirs[0]) if dirs else None))
    if problems:
        raise RuleError(problems)
    assert dimensions is not None
    rules = tuple(compiled[k] for k in sorted(compiled))
    return RuleSet(rules, dimensions, dirs, {r.id: r.path for r in rules})


def compile_rule_file(path: Path) -> CompiledRule:
    data, lines = load_document(path, error=RuleError)
    name = str(path)
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        raise RuleError(validation_problems(exc, name, lines, model=Rule)) from None
    if rule.id != path.stem:
        raise RuleError([Problem(f"{rule.id!r} differs from the file name {path.stem!r}",
                                 file=name, line=lines.line_of(("id",)), field="id")])
    return compile_rule(rule, path, lines)


def compile_rule(rule: Rule, path: Path, lines: LineMap | None = None) -> CompiledRule:
    lines = lines or LineMap()
    name = str(path)

    def fail(where: str, exc: Exception) -> RuleError:
        return RuleError([Problem(f"{exc} (rule {rule.id})", file=name, line=lines.line_of((where,)),
                                  field=where)])

    try:
        when = compile_condition(rule.when, roots=("req",)) if rule.when is not None else None
    except CompileError as exc:
        raise fail("when", exc) from None
    try:
        match = compile_condition(rule.match) if rule.match is not None else None
    except CompileError as exc:
        raise fail("match", exc) from None
    roots = ("req",) if rule.effect.kind == "obligation" and rule.match is None else None
    try:
        render = compile_template(rule.message, **({"roots": roots} if roots else {}))
    except CompileError as exc:
        raise fail("message", exc) from None
    points = None
    effect = rule.effect
    if effect.points is not None:
        fixed = float(effect.points)
        points = lambda ctx, _p=fixed: _p
    elif effect.points_from is not None:
        try:
            annotation = annotation_of(effect.points_from)
        except CompileError as exc:
            raise fail("effect", exc) from None
        from ..schema.paths import kind_of

        if kind_of(annotation) != "number":
            raise fail("effect", CompileError(f"points_from {effect.points_from!r} is not a number"))
        get = getter(effect.points_from)
        scale = effect.scale
        points = lambda ctx, _g=get, _s=scale: float(_g(ctx) or 0.0) * _s
    if rule.dimension == "obligations" and effect.kind != "obligation":
        raise fail("effect", CompileError("rules in the obligations dimension must have an obligation effect"))
    if effect.kind == "obligation" and rule.dimension != "obligations":
        raise fail("dimension", CompileError("obligation effects belong to the obligations dimension"))
    return CompiledRule(rule, when, match, render, points, path)

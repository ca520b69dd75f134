"""Compiling rule conditions and message templates into plain Python callables.

Paths are resolved against the schemas once, when a rule is loaded; evaluation then only
walks attributes. Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..schema.catalogue import ModelEntry, Openness, OpennessLevel, OsaiRating, Publisher
from ..schema.paths import PathError, kind_of, literal_values, resolve
from ..schema.requirements import Requirements
from ..schema.rules import AllOf, AnyOf, Compare, NotOf
from .facts import DeploymentFacts, DerivedFacts, LicenceFacts

ROOTS: dict[str, type] = {
    "req": Requirements,
    "model": ModelEntry,
    "licence": LicenceFacts,
    "publisher": Publisher,
    "deployment": DeploymentFacts,
    "derived": DerivedFacts,
}
#: Read-only properties rules may use, with their types.
PROPERTIES: dict[type, dict[str, Any]] = {
    ModelEntry: {"is_moe": bool, "multimodal": bool},
    Publisher: {"in_eu": bool},
    Openness: {"level": OpennessLevel},
    OsaiRating: {"score": float},
}


@dataclass(slots=True)
class Context:
    """The facts one rule evaluation sees."""

    req: Requirements
    model: ModelEntry | None = None
    licence: LicenceFacts | None = None
    publisher: Publisher | None = None
    deployment: DeploymentFacts | None = None
    derived: DerivedFacts | None = None


Getter = Callable[[Context], Any]
Predicate = Callable[[Context], bool]


class CompileError(ValueError):
    """A condition or template does not fit the schemas (message says what and where)."""


UNREADABLE = {"deployment.command", "deployment.assumptions", "deployment.sources", "deployment.text"}
"""Facts the planner builds only for the plans that are output (:meth:`DeploymentFacts.described`):
a rule reading them would see them empty. Rules cite the deployment's sources with ``cite``."""


def annotation_of(path: str, *, roots: tuple[str, ...] = tuple(ROOTS)) -> Any:
    """The annotation of the fact ``path`` names (CompileError when no root in ``roots`` has
    it); kept per path, since the rules read the same facts again and again."""
    key = (path, roots)
    known = _ANNOTATIONS.get(key, _ANNOTATIONS)
    if known is _ANNOTATIONS:
        known = _ANNOTATIONS[key] = _annotation_of(path, roots)
    return known


_ANNOTATIONS: dict[tuple[str, tuple[str, ...]], Any] = {}


def _annotation_of(path: str, roots: tuple[str, ...]) -> Any:
    root, *rest = path.split(".")
    if root not in roots:
        allowed = ", ".join(roots)
        raise CompileError(f"{path!r}: must start with one of {allowed}")
    if ".".join((root, *rest[:1])) in UNREADABLE:
        raise CompileError(f"{path!r}: the plan's command, assumptions and sources are built for the output only; "
                           "rules cannot read them (cite: [deployment] cites its sources)")
    try:
        return resolve(ROOTS[root], rest, extra=PROPERTIES)
    except PathError as exc:
        raise CompileError(f"{path!r}: {exc}") from None


def getter(path: str) -> Getter:
    """Reads ``path`` from a context: attributes, or keys of a mapping; None when a step is None.
    One- and two-step paths (most of them) get a specialised reader."""
    root, *rest = path.split(".")
    if not rest:
        return lambda ctx: getattr(ctx, root)
    if len(rest) == 1:
        (part,) = rest

        def get_one(ctx: Context) -> Any:
            value = getattr(ctx, root)
            if value is None:
                return None
            return value.get(part) if type(value) is dict else getattr(value, part)

        return get_one

    def get(ctx: Context) -> Any:
        value: Any = getattr(ctx, root)
        for part in rest:
            if value is None:
                return None
            value = value.get(part) if type(value) is dict else getattr(value, part)
        return value

    return get


def _check_constant(path: str, annotation: Any, value: Any, op: str) -> None:
    allowed = literal_values(annotation)
    if allowed is None:
        return
    values = value if isinstance(value, list) else [value]
    for v in values:
        if v not in allowed:
            from ..schema.paths import did_you_mean

            raise CompileError(f"{path} {op} {v!r}: not a possible value{did_you_mean(str(v), map(str, allowed))}; "
                               f"expected one of {', '.join(map(str, allowed))}")


_NUMBER_OPS = {"lt", "le", "gt", "ge"}
_LIST_OPS = {"contains", "not_contains", "contains_any", "contains_all"}


def compile_condition(cond: Any, *, roots: tuple[str, ...] = tuple(ROOTS)) -> Predicate:
    """Turn a condition tree into a predicate, checking every path, operator and constant."""
    if isinstance(cond, AllOf):
        return all_of([compile_condition(c, roots=roots) for c in cond.all])
    if isinstance(cond, AnyOf):
        return any_of([compile_condition(c, roots=roots) for c in cond.any])
    if isinstance(cond, NotOf):
        inner = compile_condition(cond.not_, roots=roots)
        return lambda ctx: not inner(ctx)
    assert isinstance(cond, Compare)
    return _compile_compare(cond, roots)


def all_of(parts: Sequence[Predicate]) -> Predicate:
    """True when every part is, tried in order until one is not (as ``all``, without a generator)."""
    parts = tuple(parts)

    def every(ctx: Context) -> bool:
        for p in parts:
            if not p(ctx):
                return False
        return True

    return every


def any_of(parts: Sequence[Predicate]) -> Predicate:
    """True when some part is, tried in order until one is (as ``any``, without a generator)."""
    parts = tuple(parts)

    def some(ctx: Context) -> bool:
        for p in parts:
            if p(ctx):
                return True
        return False

    return some


def _compile_compare(cond: Compare, roots: tuple[str, ...]) -> Predicate:
    op = cond.op
    annotation = annotation_of(cond.field, roots=roots)
    kind = kind_of(annotation)
    if op in _NUMBER_OPS and kind != "number":
        raise CompileError(f"{cond.field}: op {op!r} needs a number, but the field is {kind}")
    if op in _LIST_OPS and kind != "list":
        raise CompileError(f"{cond.field}: op {op!r} needs a list, but the field is {kind}")
    if op in ("empty", "not_empty") and kind not in ("list", "text", "mapping"):
        raise CompileError(f"{cond.field}: op {op!r} needs a list or text, but the field is {kind}")
    get = getter(cond.field)
    if cond.ref is not None:
        annotation_of(cond.ref, roots=roots)
        other = getter(cond.ref)
    else:
        constant = cond.value
        if op in ("in", "not_in", "contains_any", "contains_all") and not isinstance(constant, list):
            raise CompileError(f"{cond.field}: op {op!r} needs a list value")
        if op in _NUMBER_OPS and (not isinstance(constant, int | float) or isinstance(constant, bool)):
            raise CompileError(f"{cond.field}: op {op!r} needs a number value, got {constant!r}")
        if op in ("eq", "ne", "in", "not_in", "contains", "not_contains", "contains_any", "contains_all"):
            _check_constant(cond.field, annotation, constant, op)
        if kind == "bool" and op in ("eq", "ne") and not isinstance(constant, bool):
            raise CompileError(f"{cond.field}: is true/false, compare it with true or false")

        def other(ctx: Context, _c: Any = constant) -> Any:
            return _c

    if op == "exists":
        return lambda ctx: get(ctx) is not None
    if op == "missing":
        return lambda ctx: get(ctx) is None
    if op == "empty":
        return lambda ctx: not get(ctx)
    if op == "not_empty":
        return lambda ctx: bool(get(ctx))
    table: dict[str, Callable[[Any, Any], bool]] = {
        "eq": operator.eq,  # a == b
        "ne": operator.ne,
        "lt": operator.lt,
        "le": operator.le,
        "gt": operator.gt,
        "ge": operator.ge,
        "in": lambda a, b: a in b,
        "not_in": lambda a, b: a not in b,
        "contains": operator.contains,  # b in a
        "not_contains": lambda a, b: b not in a,
        "contains_any": lambda a, b: any(x in a for x in b),
        "contains_all": lambda a, b: all(x in a for x in b),
    }
    fn = table[op]
    if cond.ref is None and constant is not None:  # a fact against a constant: most comparisons
        if op == "ne":
            def differs(ctx: Context) -> bool:
                a = get(ctx)
                return a is None or a != constant  # an unknown fact differs from any constant

            return differs

        def holds(ctx: Context) -> bool:
            a = get(ctx)
            return a is not None and fn(a, constant)  # an unknown fact satisfies nothing else

        return holds

    negative = op in ("ne", "not_in", "not_contains")

    def predicate(ctx: Context) -> bool:
        a, b = get(ctx), other(ctx)
        if a is None or b is None:
            return negative and a is None and b is not None and op == "ne"
        return fn(a, b)

    return predicate


# --------------------------------------------------------------------------- folding

STATIC_ROOTS = frozenset({"model", "licence", "publisher"})
"""Facts that come from the catalogue alone: a comparison that reads nothing else has the same
value for a model whatever the requirements."""

Step = bool | Predicate
"""A condition decided for one model: True or False, or the predicate of what is left."""


def is_static(cond: Compare) -> bool:
    return cond.field.split(".", 1)[0] in STATIC_ROOTS and (
        cond.ref is None or cond.ref.split(".", 1)[0] in STATIC_ROOTS)


def roots_read(cond: Any) -> frozenset[str]:
    """The roots (``model``, ``deployment``, ...) every comparison in ``cond`` reads."""
    if isinstance(cond, Compare):
        return frozenset(p.split(".", 1)[0] for p in (cond.field, cond.ref) if p is not None)
    parts = [cond.not_] if isinstance(cond, NotOf) else cond.all if isinstance(cond, AllOf) else cond.any
    return frozenset().union(*(roots_read(p) for p in parts))


def staticness(cond: Any) -> str:
    """'static' when every comparison in ``cond`` reads only catalogue facts, 'dynamic' when none
    does, else 'mixed' (only those need :func:`fold` per model)."""
    if isinstance(cond, Compare):
        return "static" if is_static(cond) else "dynamic"
    parts = [cond.not_] if isinstance(cond, NotOf) else cond.all if isinstance(cond, AllOf) else cond.any
    kinds = {staticness(p) for p in parts}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def fold(cond: Any, ctx: Context, leaves: dict[int, Predicate]) -> Step:
    """``cond`` with every comparison that reads only catalogue facts decided for ``ctx``'s
    model, licence and publisher, and ``all``/``any``/``not`` simplified around them. What is left
    reads the requirements, the deployment or the derived facts, and is built from the same
    compiled comparisons as :func:`compile_condition` (``leaves`` keeps them, keyed by the
    comparison's identity), so it decides exactly as the whole condition does."""
    if isinstance(cond, AllOf | AnyOf):
        parts = cond.all if isinstance(cond, AllOf) else cond.any
        decisive = isinstance(cond, AnyOf)  # the value that settles it: True for any, False for all
        rest: list[Predicate] = []
        for part in parts:
            step = fold(part, ctx, leaves)
            if step is decisive:
                return decisive
            if step is not (not decisive):
                rest.append(step)  # type: ignore[arg-type]
        if not rest:
            return not decisive
        if len(rest) == 1:
            return rest[0]
        return any_of(rest) if decisive else all_of(rest)
    if isinstance(cond, NotOf):
        inner = fold(cond.not_, ctx, leaves)
        if isinstance(inner, bool):
            return not inner
        return lambda c, _p=inner: not _p(c)
    assert isinstance(cond, Compare)
    leaf = leaves.get(id(cond))
    if leaf is None:
        leaf = leaves[id(cond)] = _compile_compare(cond, tuple(ROOTS))
    return bool(leaf(ctx)) if is_static(cond) else leaf


# --------------------------------------------------------------------------- templates

MAX_FORMAT_DIGITS = 20
"""Largest width or precision a message placeholder may ask for (a rules overlay cannot make
advisor build gigabyte strings)."""
_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_]+)+)(?::([,.0-9]*[fd%]?))?\}")


def fmt(value: Any, spec: str | None = None) -> str:
    """A fact as text for a message: lists joined, numbers readable, null = 'unknown'."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v) for v in value) if value else "none"
    if spec:
        return format(value, spec)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def compile_template(template: str, *, roots: tuple[str, ...] = tuple(ROOTS)) -> Callable[[Context], str]:
    """Check every {placeholder} against the schemas; return a renderer."""
    parts: list[tuple[str, Getter, str | None]] = []  # each placeholder with the text before it
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        literal = template[pos:m.start()]
        if "{" in literal or "}" in literal:
            raise CompileError(f"malformed placeholder near {literal[literal.find('{'):][:30]!r}")
        annotation_of(m.group(1), roots=roots)
        spec = m.group(2) or None
        if spec:
            digits = [int(d) for d in re.findall(r"\d+", spec)]
            if any(d > MAX_FORMAT_DIGITS for d in digits):
                raise CompileError(f"format {spec!r} for {m.group(1)}: width and precision must be at most "
                                   f"{MAX_FORMAT_DIGITS}")
            try:
                format(1.5, spec)
            except ValueError:
                raise CompileError(f"bad format {spec!r} for {m.group(1)}") from None
        parts.append((literal, getter(m.group(1)), spec))
        pos = m.end()
    tail = template[pos:]
    if "{" in tail or "}" in tail:
        raise CompileError(f"malformed placeholder near {tail[tail.find('{'):][:30]!r}")
    if not parts:  # no placeholder: the same text for every model
        text = tail.strip()
        return lambda ctx: text

    def render(ctx: Context) -> str:
        out = []
        for literal, get, spec in parts:
            out.append(literal)
            value = get(ctx)
            if value is None:
                out.append("unknown")
                continue
            try:
                out.append(fmt(value, spec))
            except (ValueError, TypeError):
                out.append(fmt(value))
        out.append(tail)
        return "".join(out).strip()

    return render

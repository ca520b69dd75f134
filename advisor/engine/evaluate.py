"""Pure scoring: (requirements, catalogue, rules) -> Advice.

1. Rules whose ``when`` fails for these requirements are dropped once, up front.
2. Per model: plan the deployment, derive the facts, run the remaining rules.
3. A model with any ``exclude`` rule goes to ``excluded`` with every such reason.
4. Each dimension starts at its base (rules/dimensions.yaml), adds its rules' points and is
   clamped to 0-100; the total is the priority-weighted mean.
5. Ranking by total, ties broken by model id; the explanation is built from the trace.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .._version import __version__
from ..catalogue import Catalogue
from ..collector import paused
from ..documents import LineMap
from ..errors import Problem, RequirementsError
from ..schema.advice import (
    DIMENSIONS,
    Advice,
    CatalogueInfo,
    Deployment,
    Evidence,
    ExcludedModel,
    ExcludedScore,
    ModelWarning,
    Obligation,
    RankedModel,
    RankedScore,
    Ranking,
    Reason,
)
from ..schema.catalogue import ModelEntry, Publisher
from ..schema.common import construct
from ..schema.paths import did_you_mean
from ..schema.requirements import HardwareRef, Requirements
from ..schema.rules import Lever, Rule
from .conditions import Context, Step, fold, staticness
from .deploy import Load, Planner
from .facts import (
    EUROEVAL_URL,
    OSAI_URL,
    DeploymentFacts,
    LicenceFacts,
    derive,
    derived_static,
    fsum_left,
    language_facts,
)
from .memo import per_model
from .loader import CompiledRule, RuleSet


@dataclass
class Trace:
    """Everything the rules said about one model."""

    model: ModelEntry
    ctx: Context
    reasons: list[Reason] = field(default_factory=list)
    exclusions: list[Reason] = field(default_factory=list)
    warnings: list[ModelWarning] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    levers: list[Lever] = field(default_factory=list)
    """Requirement changes that would lift the exclusions."""
    unliftable: bool = False
    """At least one exclusion has no lever (e.g. a missing language)."""

    @property
    def deployment(self) -> DeploymentFacts:
        assert self.ctx.deployment is not None
        return self.ctx.deployment


def check_requirements(req: Requirements, catalogue: Catalogue, source: str | None = None,
                       lines: LineMap | None = None) -> None:
    """Catalogue references in the requirements (hardware ids) must exist."""
    problems = []
    for i, spec in enumerate(req.hosting.hardware):
        if isinstance(spec, HardwareRef) and spec.accelerator not in catalogue.hardware:
            loc = ("hosting", "hardware", i, "accelerator")
            problems.append(Problem(
                f"unknown hardware {spec.accelerator!r}{did_you_mean(spec.accelerator, catalogue.hardware)}"
                " (see catalogue/hardware.yaml, or describe it inline with name, kind, memory_gb, bandwidth_gbps)",
                file=source, line=lines.line_of(loc) if lines else None, field=".".join(map(str, loc))))
    if problems:
        raise RequirementsError(problems)


def _sources(rule: CompiledRule, ctx: Context) -> list[str]:
    urls = list(rule.rule.references)
    for cite in rule.rule.cite:
        if cite == "model" and ctx.model:
            urls += [s.url for s in ctx.model.sources]
        elif cite == "licence" and ctx.licence:
            urls += ctx.licence.sources
        elif cite == "publisher" and ctx.publisher:
            urls += [s.url for s in ctx.publisher.sources]
        elif cite == "publisher_cop" and ctx.publisher:
            urls += [s.url for s in ctx.publisher.gpai_cop_sources]
        elif cite == "deployment" and ctx.deployment:
            urls += ctx.deployment.cited
        elif cite == "quality" and ctx.model:
            if ctx.model.quality.euroeval:
                urls.append(EUROEVAL_URL)
            urls += [b.source for b in ctx.model.quality.benchmarks]
        elif cite == "openness" and ctx.model and ctx.model.openness.osai:
            urls.append(OSAI_URL)
    return list(dict.fromkeys(urls))


MEMO_LIMIT = 32
"""Requirement variants whose per-model facts (plans, derived facts) are kept per catalogue, in
each store (least recently used go first), so memory stays bounded however many profiles a batch
scores (benchmarks/batch_memory.py prints it). One advice with its explanation uses about a
dozen variants (each what-if check is one), so the wizard keeps the last few answers."""


DERIVED_FIELDS = ("organisation.country", "organisation.sector", "use_case.languages", "use_case.tasks",
                  "sovereignty.min_openness", "use_case.context_tokens")
"""Every requirement field ``facts.derive`` reads: derived facts are memoised under their values
(tests/test_engine.py checks the list against what derive reads)."""
_DERIVED_READS = operator.attrgetter(*DERIVED_FIELDS)

_PLANNER_READS = {"hosting": True, "budget": True}
"""The requirement sections the planner reads besides the load and the monthly tokens: the plans
are memoised under their JSON (made by the requirements' own serializer, already built: a
section's own would be built on first use, about a millisecond each in a cold process)."""

LOAD_LIMIT = 64
"""Loads (context, typical request, simultaneous requests, speed need) whose plans per set-up are
kept per catalogue: every profile with the same load reuses them, whatever its hosting, budget
or offers."""


LANGUAGE_LIMIT = 64
"""Lists of requested languages whose per-model language facts (the evidence per language, the
missing and unconfirmed ones) are kept per catalogue: profiles that differ in anything else
share them."""


_MEMO_LOCK = threading.Lock()
"""The wizard explains in a worker thread while the screen re-ranks: both use the memo."""


REQUIREMENT_STORES = ("plans", "per-load", "derived", "languages")
"""The stores of :attr:`Catalogue.memo` keyed by requirement fields; the others (rule programs,
artefacts, requirement-free derived facts) depend on the catalogue and rules only."""


def forget_requirements(catalogue: Catalogue) -> None:
    """Drop what was memoised for requirement variants (benchmarks: a profile never seen)."""
    with _MEMO_LOCK:
        for kind in REQUIREMENT_STORES:
            catalogue.memo.pop(kind, None)


COMPILED = True
"""Evaluators use the compiled programs unless told otherwise (the differential tests set this
to False to produce the reference output through every entry point)."""
_UNDECIDED = object()


def _programs(catalogue: Catalogue, rules: RuleSet) -> tuple[dict[str, Any], dict[int, Any], dict[Any, Any],
                                                              dict[tuple[int, str], Any]]:
    """The per-model programs of ``rules`` on ``catalogue``, and what they share: the compiled
    comparisons and each rule's staticness, keyed by identity, the active rules' roles by
    which rules are active, and the sources each rule cites for each model (kept per catalogue,
    for each rule set by identity)."""
    with _MEMO_LOCK:
        store = catalogue.memo.setdefault("programs", {})
        entry = store.get(id(rules))
        if entry is None or entry[0] is not rules:
            entry = store[id(rules)] = (rules, {}, {}, {}, {})
        return entry[1], entry[2], entry[3], entry[4]


PARTITION_LIMIT = 256
"""Sets of active rules whose roles are kept per rule set (requirements switch rules on with their
``when`` conditions; a batch sees a few dozen sets)."""

Partition = tuple[list[CompiledRule], list[tuple[int, CompiledRule]], list[tuple[int, CompiledRule]],
                  list[tuple[int, CompiledRule]]]


def _partition(rules: RuleSet, active: tuple[int, ...]) -> Partition:
    """The active rules (by position in ``rules.rules``, their slot in a model's program) by role:
    obligations of the organisation (no model condition), exclusions, the other per-model rules,
    and the points rules among those (all a trace without messages, or of an excluded model,
    needs: warnings and obligations are only reported for kept models)."""
    chosen = [(i, rules.rules[i]) for i in active]
    general = [r for _, r in chosen if r.kind == "obligation" and r.match is None]
    per_model = [(i, r) for i, r in chosen if not (r.kind == "obligation" and r.match is None)]
    others = [(i, r) for i, r in per_model if r.kind != "exclude"]
    return (general, [(i, r) for i, r in per_model if r.kind == "exclude"], others,
            [(i, r) for i, r in others if r.kind == "points"])


def _memo(catalogue: Catalogue, kind: str, key: tuple[object, ...], limit: int | None = None) -> dict[Any, Any]:
    """Per-model results for one requirement variant (see :attr:`Catalogue.memo`)."""
    limit = MEMO_LIMIT if limit is None else limit
    with _MEMO_LOCK:
        store: OrderedDict[tuple[object, ...], dict[str, Any]] = catalogue.memo.setdefault(kind, OrderedDict())
        entry = store.get(key)
        if entry is None:
            entry = store[key] = {}
            while len(store) > limit:
                store.popitem(last=False)
        else:
            store.move_to_end(key)
        return entry


class Evaluator:
    """Scores models for one set of requirements. Requirement-only work (active rules, the
    deployment planner) is done once; :meth:`trace` then scores one model.

    Deployment plans and derived facts depend on a few requirement fields only; they are
    memoised per catalogue under those fields, so what-if changes, explanations and batch
    rows that share them do not recompute them."""

    def __init__(self, req: Requirements, catalogue: Catalogue, rules: RuleSet, *,
                 compiled: bool | None = None) -> None:
        check_requirements(req, catalogue)
        self.compiled = COMPILED if compiled is None else compiled
        """Decide each rule's catalogue-only comparisons once per model (see ``_program``);
        False gives the reference evaluation, condition by condition."""
        self.req = req
        self.catalogue = catalogue
        self.rules = rules
        self.reviewed = catalogue.reviewed or "2026-01-01"
        self.today = (int(self.reviewed[:4]), int(self.reviewed[5:7]))
        self._planner: Planner | None = None
        use = req.use_case
        self.load = Load.of(req)
        self._plans = _memo(catalogue, "plans", (  # everything the planner reads
            req.model_dump_json(include=_PLANNER_READS), self.load, use.monthly_tokens))
        self._per_load = _memo(catalogue, "per-load", (self.load,), limit=LOAD_LIMIT)
        self._derived = _memo(catalogue, "derived", (
            *(tuple(v) if type(v) is list else v for v in _DERIVED_READS(req)), self.today))
        self._languages = _memo(catalogue, "languages", tuple(use.languages), limit=LANGUAGE_LIMIT)
        self.base = Context(req=req)
        self._programs, self._leaves, partitions, self._cited = _programs(catalogue, rules)
        active = tuple(i for i, r in enumerate(rules.rules) if r.when is None or r.when(self.base))
        with _MEMO_LOCK:
            parts = partitions.get(active)
            if parts is None:
                if len(partitions) >= PARTITION_LIMIT:
                    partitions.clear()
                parts = partitions[active] = _partition(rules, active)
        self.general, self.exclusions, self.others, self.scoring = parts
        dims = rules.dimensions
        self.weights = {d: getattr(req.priorities, d) * getattr(dims, d).multiplier
                        for d in type(req.priorities).model_fields}
        self.weight_sum = fsum_left(list(self.weights.values()))

    def context(self, model: ModelEntry, licence: LicenceFacts | None = None,
                publisher: Publisher | None = None, *, plan: bool = True) -> Context:
        """All facts about ``model`` for these requirements. Facts about a model as catalogued
        are memoised; a patched model, licence or publisher (rule tests) is computed afresh.
        Without ``plan``, the deployment is left None (:meth:`deployment` fills it in)."""
        memoise = licence is None and publisher is None and self.catalogue.models.get(model.id) is model
        licence = licence or self.catalogue.licence_facts[model.id]
        publisher = publisher or self.catalogue.publishers[model.publisher]
        deployment = self.deployment(model, memoise) if plan else None
        derived_memo = self._derived if memoise else {}
        derived = derived_memo.get(model.id)
        if derived is None:
            successor = self.catalogue.models.get(model.superseded_by or "")
            index = self.catalogue.quality_index
            static = per_model(self.catalogue.memo.setdefault("derived-static", {}), (model.id, self.today), model,
                               lambda: derived_static(model, licence, publisher, self.today, index, successor)
                               ) if memoise else None
            languages = self._languages.get(model.id) if memoise else None
            if languages is None:
                languages = language_facts(model, self.req.use_case.languages, index)
                if memoise:
                    self._languages[model.id] = languages
            derived = derived_memo[model.id] = derive(model, licence, publisher, self.req, self.today, index,
                                                      successor, static, languages)
        return Context(self.req, model, licence, publisher, deployment, derived)

    def deployment(self, model: ModelEntry, memoise: bool = True) -> DeploymentFacts:
        """The deployment plan's facts for ``model``; memoised for a model as catalogued."""
        plans = self._plans if memoise else {}
        deployment = plans.get(model.id)
        if deployment is None:
            if self._planner is None:
                self._planner = Planner(self.req, self.catalogue.hardware, list(self.catalogue.offers.values()),
                                        list(self.catalogue.machines.values()), list(self.catalogue.quantizers),
                                        {k: v.label for k, v in self.catalogue.vocabulary.certifications.items()},
                                        dt.date.fromisoformat(self.reviewed),
                                        static=self.catalogue.memo.setdefault("planner-static", {}),
                                        per_load=self._per_load)
            deployment = plans[model.id] = self._planner.plan(model)[0]
        return deployment

    def trace(self, model: ModelEntry, *, detail: bool = True, first_exclusion: bool = False) -> Trace:
        """Run the rules on one model. Exclusion rules run first; an excluded model that levers
        could lift only gets its points counted (the what-if checks compare its total), without
        rendering the other messages; one that some exclusion without a lever keeps out stops
        after the exclusions, without scores (nothing reads them).
        ``detail=False`` gives scores and the exclusions' rules only, without messages (``rank()``
        and the what-if checks in the explanation). ``first_exclusion`` stops an excluded model at
        its first exclusion rule, without scores or levers (all ``rank()`` reports of it); it is
        planned only if an exclusion rule before that reads the plan, or none excludes it."""
        mid = model.id
        catalogued = self.catalogue.models.get(mid) is model  # else a patched copy: planned afresh
        lazy = first_exclusion and not detail
        ctx = self.context(model, plan=not lazy)
        trace = Trace(model, ctx)
        program = self._program(model)
        for i, rule in self.exclusions:
            step = program[i]
            if step is _UNDECIDED:
                step = program[i] = self._step(rule, ctx)  # folding reads catalogue facts only
            if step is False:
                continue
            if step is not True and ctx.deployment is None and rule.matches_deployment:
                ctx.deployment = self.deployment(model, catalogued)
            if step is True or step(ctx):
                r = rule.rule
                trace.exclusions.append(construct(  # without detail only the rule is read: no message built
                    Reason, rule=r.id, dimension=r.dimension, points=0, message=rule.render(ctx) if detail else "",
                    sources=self._sources(i, rule, ctx) if detail else []))
                if first_exclusion:
                    return trace
                if r.lever:
                    trace.levers.append(r.lever)
                else:
                    trace.unliftable = True
        if trace.unliftable:
            return trace
        if ctx.deployment is None:
            ctx.deployment = self.deployment(model, catalogued)
        excluded = bool(trace.exclusions)
        points: dict[str, float] = defaultdict(float)
        for i, rule in self.others if detail and not excluded else self.scoring:
            step = program[i]
            if step is _UNDECIDED:
                step = program[i] = self._step(rule, ctx)
            if step is False or (step is not True and not step(ctx)):
                continue
            r = rule.rule
            kind = rule.kind
            if kind == "points":
                assert rule.points is not None
                value = round(rule.points(ctx), 1)
                points[r.dimension] += value
                if detail and not excluded:
                    trace.reasons.append(construct(Reason,
                        rule=r.id, dimension=r.dimension, points=value, message=rule.render(ctx),
                        sources=self._sources(i, rule, ctx)))
            elif kind == "warn":
                trace.warnings.append(construct(ModelWarning,
                    rule=r.id, message=rule.render(ctx), sources=self._sources(i, rule, ctx)))
            else:
                trace.obligations.append(self._obligation(r, rule.render(ctx), self._sources(i, rule, ctx), mid))
        dims = self.rules.dimensions
        for dim in DIMENSIONS:
            trace.scores[dim] = round(max(0.0, min(100.0, getattr(dims, dim).base + points[dim])), 1)
        trace.total = round(fsum_left([self.weights[d] * trace.scores[d] for d in DIMENSIONS]) / self.weight_sum, 1)
        return trace

    def _sources(self, i: int, rule: CompiledRule, ctx: Context) -> list[str]:
        """What rule ``i`` cites for ``ctx``'s model: kept per model unless it cites the deployment
        (the plan differs per profile); checked by identity, like the programs. The reference
        evaluation (``compiled=False``) looks them up every time."""
        if not self.compiled or ctx.model is None or "deployment" in rule.rule.cite:
            return _sources(rule, ctx)
        key = (i, ctx.model.id)
        kept = self._cited.get(key)
        if kept is None or kept[0] is not ctx.model or kept[1] is not ctx.licence or kept[2] is not ctx.publisher:
            kept = self._cited[key] = (ctx.model, ctx.licence, ctx.publisher, _sources(rule, ctx))
        return list(kept[3])

    def _program(self, model: ModelEntry) -> list[Step | object]:
        """Each rule's match for ``model``, decided on its first trace and kept per catalogue and
        rule set (:func:`conditions.fold`). A patched model (rule tests) gets a program of its own
        for this trace; the reference evaluation (``compiled=False``) one that folds nothing."""
        if self.compiled and self.catalogue.models.get(model.id) is model:
            entry = self._programs.get(model.id)
            if entry is None or entry[0] is not model:
                entry = self._programs[model.id] = (model, [_UNDECIDED] * len(self.rules.rules))
            return entry[1]
        return [_UNDECIDED] * len(self.rules.rules)

    def _step(self, rule: CompiledRule, ctx: Context) -> Step:
        if rule.match is None:
            return True
        if not self.compiled:
            return rule.match
        assert rule.rule.match is not None
        kind = self._leaves.get(id(rule))
        if kind is None:
            kind = self._leaves[id(rule)] = staticness(rule.rule.match)
        if kind == "dynamic":  # nothing to decide ahead: the whole condition, as compiled
            return rule.match
        if kind == "static":
            return bool(rule.match(ctx))
        return fold(rule.rule.match, ctx, self._leaves)

    def obligations(self) -> list[Obligation]:
        return [self._obligation(r.rule, r.render(self.base), list(r.rule.references)) for r in self.general]

    def _obligation(self, rule: Rule, message: str, sources: list[str], model: str | None = None) -> Obligation:
        """An obligation with who must act and from when (judged at the catalogue's review date)."""
        o = rule.effect.obligation
        assert o is not None
        review = dt.date.fromisoformat(self.reviewed)
        return construct(Obligation,
            id=rule.id, article=o.article, message=message, model=model, sources=sources, actor=o.actor,
            applies_from=o.applies_from.isoformat() if o.applies_from else None,
            originally_from=o.originally_from.isoformat() if o.originally_from else None,
            date_note=o.date_note, in_force=None if o.applies_from is None else o.applies_from <= review,
            exposure=o.exposure)

    def rank(self) -> Ranking:
        """Scores and exclusions only: no messages, reasons or explanation are built (with the
        cyclic garbage collector paused, see :mod:`advisor.collector`)."""
        with paused():
            traces = [self.trace(m, detail=False, first_exclusion=True) for m in self.catalogue.models.values()]
        kept = sorted((t for t in traces if not t.exclusions), key=lambda t: (-t.total, t.model.id))
        return construct(Ranking,
            ranked=[construct(RankedScore, model=t.model.id, total=t.total, scores=dict(t.scores)) for t in kept],
            excluded=[construct(ExcludedScore, model=t.model.id, rule=t.exclusions[0].rule)
                      for t in traces if t.exclusions])

    def scored(self, detail: int | None = None) -> tuple[list[Trace], list[Trace]]:
        """Every model's trace: those kept, best first (ties by id), and those excluded. With
        ``detail``, only the first ``detail`` kept models get their messages and sources; the
        others have their scores, exclusion rules and levers (all the summary reads of them)."""
        traces = [self.trace(m, detail=detail is None) for m in self.catalogue.models.values()]
        kept = sorted((t for t in traces if not t.exclusions), key=lambda t: (-t.total, t.model.id))
        if detail is not None:
            kept[:detail] = [self.trace(t.model) for t in kept[:detail]]
        return kept, [t for t in traces if t.exclusions]

    def advice(self, kept: list[Trace], dropped: list[Trace], summary: str = "") -> Advice:
        """The advice from ``scored()``'s traces; ``summary`` is built by ``engine.explain``."""
        obligations = self.obligations()
        if kept:
            obligations += kept[0].obligations
        return construct(Advice,
            advisor_version=__version__,
            catalogue=construct(CatalogueInfo, models=len(self.catalogue.models), reviewed=self.reviewed,
                                newest_release=self.catalogue.newest_release or None,
                                freshness_warning=self.catalogue.freshness.warning()),
            requirements=self.req.model_dump(mode="json"),
            ranking=[_ranked(i + 1, t) for i, t in enumerate(kept)],
            excluded=[construct(ExcludedModel, model=t.model.id, name=t.model.name, reasons=t.exclusions)
                      for t in dropped],
            obligations=obligations,
            summary=summary,
        )


def _ranked(rank: int, t: Trace) -> RankedModel:
    d = t.deployment.described()
    deployment = None
    if d.status == "fits":
        deployment = construct(Deployment,
            quantization=d.quantization or "", memory_gb=d.memory_gb or 0.0, hardware=d.hardware or "",
            hosting=d.hosting or "", monthly_cost_eur=d.monthly_cost_eur, tokens_per_s=d.tokens_per_s or 0.0,
            context_tokens=d.context_tokens, purchase_eur=d.purchase_eur, provider=d.provider,
            aggregate_tokens_per_s=d.aggregate_tokens_per_s, max_context_tokens=d.max_context_tokens,
            engine=d.engine, weights_format=d.weights_format, weights_repo=d.weights_repo, weights_gb=d.weights_gb,
            kv_cache_dtype=d.kv_cache_dtype, kv_cache_gb=d.kv_cache_gb,
            sessions_at_full_context=d.sessions_at_full_context, time_to_first_token_s=d.time_to_first_token_s,
            simultaneous_requests=d.simultaneous_requests, command=d.command, assumptions=list(d.assumptions),
            cost_basis=d.cost_basis, cost_choice=d.cost_choice or None, monthly_tokens=d.monthly_tokens,
            eur_per_million_tokens=None if d.eur_per_million_input is None else {
                "input": d.eur_per_million_input, "output": d.eur_per_million_output or 0.0},
            setup_fee_eur=d.setup_fee_eur or None, monthly_equivalent_eur=d.monthly_equivalent_eur,
            price_date=d.price_date.isoformat() if d.price_date else None, price_stale=d.price_stale,
        )
    return construct(RankedModel,
        rank=rank, model=t.model.id, name=t.model.name, hf_repo=t.model.hf_repo, score=t.total,
        scores=t.scores, deployment=deployment, reasons=t.reasons, warnings=t.warnings,
        obligations=t.obligations, evidence=evidence_of(t.model),
    )


def evidence_of(model: ModelEntry) -> list[Evidence]:
    return [construct(Evidence, fact=fact, grade=grade, source=source.url,
                                     basis=source.copy_of or source.derived_from or source.method)
            for fact, grade, source in model.evidence]

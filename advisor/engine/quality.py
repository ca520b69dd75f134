"""Expected quality of a model for the requested languages and tasks, from evidence.

Per language, best evidence first:

1. **measured**: a EuroEval rank of this model on that language's leaderboard (1.0 = best),
   as points 100 - 25 x (rank - 1);
2. **base**: the rank of the base model this one was tuned from, less 3 points;
3. **family**: the rank of the nearest-sized model of the same family from the same publisher,
   adjusted by half the size-prior difference and less 5 points;
4. **estimate**: the size prior (30 points at 1B rising to 100 at 1,000B; MoE models count as
   sqrt(total x active)), never above the lower quartile of the measured scores of comparable
   models (one half to twice the size) on that language, so a guess does not outrank three in
   four measured peers, and reduced by 30 % when the publisher only claims broad multilingual
   support without listing the language;
5. **unsupported**: neither listed, claimed nor measured: 0 points.

Per task, published benchmark scores (``quality.benchmarks``) are turned into the percentile of
the model among catalogue models that report the same benchmark (at least ``MIN_PEERS``),
weighted by evidence grade, and mapped to 30-95 points. Specialised tasks (code, vision and
documents, agents, translation, long documents) use those; general tasks use the language score.
The capability score is the mean of the language score and each specialised task's score.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..schema.iso import language_name
from .memo import per_model

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..schema.catalogue import ModelEntry

MIN_PEERS = 4
"""Models that must report a benchmark before a percentile on it is used."""
GRADE_WEIGHT = {"independent": 1.0, "publisher": 0.8, "family": 0.6, "base": 0.6}
#: Benchmark tasks that inform each requirement task (general tasks use the language score).
TASK_BENCHMARKS = {
    "code": ("code", "agentic_code"),
    "agents": ("tool_use", "agentic_code"),
    "vision": ("vision", "document"),
    "translation": ("translation",),
}
LONG_DOCUMENTS = 32_000
"""Questions on documents at or above this context also count long-context benchmarks."""
CLAIM_FACTOR = 0.7
"""An estimate for a language the publisher only covers by a broad claim ('dozens of languages')
counts 70 % of one for a listed language: such claims often leave out the smaller languages."""
NEWER_MONTHS = 3
"""A model of the same publisher released at least this much later counts as a newer one."""
TASK_WORDS = {"code": "programming", "agents": "agents and tools", "vision": "images and documents",
              "translation": "translation", "document_qa": "long documents"}


def rank_points(rank: float) -> float:
    """EuroEval rank score (1.0 best) to 0-100: 100 at rank 1, minus 25 per rank step."""
    return max(0.0, min(100.0, 100 - (rank - 1) * 25))


def effective_size(model: ModelEntry) -> float:
    total = model.params_total_b or 1.0
    if model.params_active_b is not None:
        return math.sqrt(total * model.params_active_b)
    return total


def size_prior(model: ModelEntry) -> float:
    """30 points at 1B parameters rising logarithmically to 100 at 1,000B."""
    return max(0.0, min(100.0, 30 + 70 * math.log10(max(effective_size(model), 1.0)) / 3))


def size_label(model: ModelEntry) -> str:
    if model.params_total_b is None:
        return "unknown size"
    total = f"{model.params_total_b:g}B"
    if model.params_active_b is not None:
        return f"{total} ({model.params_active_b:g}B active)"
    return total


@dataclass(frozen=True)
class Evidence:
    points: float
    grade: str
    """measured, base, family, estimate, unsupported, or benchmark grades for tasks."""
    basis: str


@dataclass
class QualityIndex:
    """Catalogue-wide tables the quality estimate compares a model with (built once)."""

    measured: dict[str, dict[str, tuple[float, str, str | None]]] = field(default_factory=dict)
    """model id -> language -> (points, evaluated repo, mode) for models with their own EuroEval row."""
    base: dict[str, set[str]] = field(default_factory=dict)
    """model id -> languages whose row was measured on its base model."""
    families: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(publisher, family) -> model ids."""
    percentiles: dict[str, dict[str, float]] = field(default_factory=dict)
    """benchmark -> model id -> percentile 0-100 among models reporting it."""
    newer: set[str] = field(default_factory=set)
    """Models with a newer member of their line (same publisher, same family root, same
    specialism) released at least NEWER_MONTHS later."""
    benchmark_task: dict[str, str] = field(default_factory=dict)
    """benchmark id -> the task it measures (vocabulary.yaml)."""
    models: dict[str, ModelEntry] = field(default_factory=dict)
    _measured_tasks: dict[tuple[str, ...], list[tuple[str, float, float]]] = field(default_factory=dict)
    """benchmark kinds -> (model id, effective size, task points) of every model measured on them."""
    _measured_languages: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    """language -> (model id, effective size, points) of every model measured on it itself."""
    _memo: dict[tuple[Any, ...], tuple[ModelEntry, Any]] = field(default_factory=dict)
    """(what, model id, argument) -> (model, result): what depends only on the catalogue, kept
    across profiles (checked by identity, so a patched model in a rule test is computed afresh)."""

    def _memoised(self, what: str, model: ModelEntry, arg: Any, compute: Callable[[], Any]) -> Any:
        return per_model(self._memo, (what, model.id, arg), model, compute)

    @staticmethod
    def build(catalogue: Catalogue) -> QualityIndex:
        index = QualityIndex(models=dict(catalogue.models),
                             benchmark_task={k: v.task for k, v in catalogue.vocabulary.benchmarks.items()})
        for mid, m in catalogue.models.items():
            own = m.hf_repo.lower()
            for lang, r in m.quality.euroeval.items():
                index.measured.setdefault(mid, {})[lang] = (rank_points(r.rank), r.evaluated_repo, r.mode)
                if _evaluated(r.evaluated_repo) != own:
                    index.base.setdefault(mid, set()).add(lang)
            index.families.setdefault((m.publisher, m.family), []).append(mid)
        scores: dict[str, list[tuple[float, str]]] = {}
        for mid, m in catalogue.models.items():
            seen: dict[str, float] = {}
            for b in m.quality.benchmarks:
                seen[b.name] = max(seen.get(b.name, -math.inf), b.score)
            for name, score in seen.items():
                scores.setdefault(name, []).append((score, mid))
        for name, rows in scores.items():
            if len(rows) < MIN_PEERS:
                continue
            ordered = sorted(s for s, _ in rows)
            index.percentiles[name] = {  # (models below + half the others level with it) / the others
                mid: 100 * ((below := bisect_left(ordered, s)) + 0.5 * (bisect_right(ordered, s) - below - 1))
                / (len(ordered) - 1) for s, mid in rows}
        # newer: a model of the same line and specialism, not deprecated, NEWER_MONTHS later
        line = {mid: (m.publisher, family_root(m.family), m.built_for) for mid, m in catalogue.models.items()}
        latest: dict[tuple[str, str, str | None], int] = {}
        for mid, m in catalogue.models.items():
            if not m.deprecated:
                latest[line[mid]] = max(latest.get(line[mid], -1), _month_number(m.release))
        index.newer.update(mid for mid, m in catalogue.models.items()
                           if latest.get(line[mid], -1) - _month_number(m.release) >= NEWER_MONTHS)
        return index

    # ------------------------------------------------------------------ languages

    def language(self, model: ModelEntry, lang: str) -> Evidence:
        """How well ``model`` handles ``lang``: measured, measured on its base or a sibling, or estimated."""
        return self._memoised("language", model, lang, lambda: self._language(model, lang))

    def _language(self, model: ModelEntry, lang: str) -> Evidence:
        name = language_name(lang)
        row = model.quality.euroeval.get(lang)
        if row is not None:
            points = rank_points(row.rank)
            on_base = _evaluated(row.evaluated_repo) != model.hf_repo.lower()
            where = (f"{name}: EuroEval rank {row.rank:g} ({'base model ' if on_base else ''}{row.evaluated_repo}"
                     f"{', mode ' + row.mode if row.mode else ''})")
            if on_base:
                return Evidence(max(0.0, points - 3), "base", where)
            return Evidence(points, "measured", where)
        sibling = self._sibling(model, lang)
        if sibling is not None:
            other = self.models[sibling]
            points = self.measured[sibling][lang][0]
            adjusted = points + 0.5 * (size_prior(model) - size_prior(other)) - 5
            return Evidence(max(0.0, min(100.0, adjusted)), "family",
                            f"{name}: measured on {other.name} ({size_label(other)}, same family), adjusted for size")
        listed = lang in model.languages
        claimed = not listed and bool(model.language_claim)
        if not listed and not claimed:
            return Evidence(0.0, "unsupported", f"{name}: not listed, claimed or measured")
        prior = size_prior(model)
        cap = self._comparable_floor(model, lang)
        points = prior if cap is None else min(prior, cap - 1)
        if claimed:
            points *= CLAIM_FACTOR
        note = f"estimate from model size ({size_label(model)})"
        if cap is not None and prior > cap - 1:
            note += ", capped below three in four measured models of similar size"
        if claimed:
            note = f"not listed, but the publisher claims {model.language_claim}; " + note
        return Evidence(round(max(0.0, points), 1), "estimate", f"{name}: {note}")

    def _sibling(self, model: ModelEntry, lang: str) -> str | None:
        best = None
        for mid in self.families.get((model.publisher, model.family), []):
            if mid == model.id or lang not in self.measured.get(mid, {}) or lang in self.base.get(mid, ()):
                continue
            gap = abs(math.log(effective_size(self.models[mid]) / effective_size(model)))
            if best is None or gap < best[0]:
                best = (gap, mid)
        return best[1] if best else None

    def _comparable_floor(self, model: ModelEntry, lang: str) -> float | None:
        """The lower quartile of measured scores of comparable models on ``lang`` (None below 3)."""
        size = effective_size(model)
        values = sorted(points for mid, other, points in self._measured_on(lang)
                        if mid != model.id and 0.5 <= other / size <= 2.0)
        if len(values) < 3:
            return None
        return values[(len(values) - 1) // 4]

    def _measured_on(self, lang: str) -> list[tuple[str, float, float]]:
        """(model id, effective size, points) of every model measured on ``lang`` itself (not on
        its base model): the same for every model compared, so listed once per language."""
        rows = self._measured_languages.get(lang)
        if rows is None:
            rows = self._measured_languages[lang] = [
                (mid, effective_size(self.models[mid]), langs[lang][0]) for mid, langs in self.measured.items()
                if lang in langs and lang not in self.base.get(mid, ())]
        return rows

    # ------------------------------------------------------------------ tasks

    def task(self, model: ModelEntry, task: str, context: int, language_points: float) -> Evidence | None:
        """Evidence for a specialised task, or None for general tasks (the language score covers them)."""
        kinds = TASK_BENCHMARKS.get(task)
        if task == "document_qa" and context >= LONG_DOCUMENTS:
            kinds = ("long_context",)
        if kinds is None:
            return None
        points, used = self._task_points(model, kinds)
        words = TASK_WORDS.get(task, task)
        if points is None:
            floor = self._task_floor(model, kinds)
            general = max(0.0, language_points - 10)
            if floor is None:
                return Evidence(general, "none", f"{words}: no published benchmark in the catalogue, general quality less 10")
            return Evidence(round(min(general, floor), 1), "none",
                            f"{words}: no published benchmark; counted at most at the lower quartile of comparable "
                            f"measured models ({floor:.0f})")
        return Evidence(points, "benchmark", f"{words}: {', '.join(dict.fromkeys(used))} "
                                             f"(percentile {(points - 30) / 0.65:.0f} among catalogue models)")

    def _task_points(self, model: ModelEntry, kinds: tuple[str, ...]) -> tuple[float | None, tuple[str, ...]]:
        """30-95 points from the grade-weighted percentile of ``model``'s benchmarks of ``kinds``."""
        return self._memoised("task_points", model, kinds, lambda: self._task_points_of(model, kinds))

    def _task_points_of(self, model: ModelEntry, kinds: tuple[str, ...]) -> tuple[float | None, tuple[str, ...]]:
        total = weight = 0.0
        used = []
        for b in model.quality.benchmarks:
            if self.benchmark_task.get(b.name) not in kinds or b.name not in self.percentiles:
                continue
            w = GRADE_WEIGHT.get(b.grade, 0.5)
            total += w * self.percentiles[b.name][model.id]
            weight += w
            used.append(f"{b.name} {b.score:g}")
        return (round(30 + 0.65 * total / weight, 1) if weight else None), tuple(used)

    def _task_floor(self, model: ModelEntry, kinds: tuple[str, ...]) -> float | None:
        """The lower quartile of the task points of measured models one half to twice the size of
        ``model`` (of all measured models when fewer than 3 are comparable; None when none is)."""
        return self._memoised("task_floor", model, kinds, lambda: self._task_floor_of(model, kinds))

    def _task_floor_of(self, model: ModelEntry, kinds: tuple[str, ...]) -> float | None:
        if kinds not in self._measured_tasks:
            self._measured_tasks[kinds] = [(m.id, effective_size(m), p) for m in self.models.values()
                                           if (p := self._task_points(m, kinds)[0]) is not None]
        size = effective_size(model)
        measured = [(s, p) for mid, s, p in self._measured_tasks[kinds] if mid != model.id]
        near = sorted(p for s, p in measured if 0.5 <= s / size <= 2.0)
        values = near if len(near) >= 3 else sorted(p for _, p in measured)
        return values[(len(values) - 1) // 4] if values else None


def family_root(family: str) -> str:
    """The product line of a family name: its first word without version numbers
    ('Llama 3.1' -> 'llama', 'Mistral Small 3' -> 'mistral', 'SalamandraTA' -> 'salamandrata')."""
    first = family.strip().split()[0] if family.strip() else family
    return "".join(c for c in first.lower() if c.isalpha()) or family.lower()


def _evaluated(name: str) -> str:
    """The repository a EuroEval row names, without its variant suffix ('#no-thinking', '(val)')."""
    return name.split("#")[0].split(" (")[0].strip().lower()


def _month_number(month: str) -> int:
    """A release month ('YYYY-MM') as months since year 0: later months are larger."""
    year, number = month.split("-")
    return int(year) * 12 + int(number)

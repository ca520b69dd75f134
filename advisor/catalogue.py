"""Loading, checking and caching the catalogue.

A catalogue directory holds ``vocabulary.yaml``, ``publishers.yaml``, ``hardware.yaml``,
``hosting.yaml``, ``licences/<id>.yaml`` and ``models/<publisher>/<id>.yaml``. The bundled
catalogue ships inside the package. Further directories overlay it: their entries add to or
replace bundled ones by id. A directory that has its own ``vocabulary.yaml`` is a complete
catalogue and replaces the bundled one instead.

Every problem found is reported at once, each with file, line and field.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import cache, plaindata
from .documents import LineMap, load_document, validation_problems
from .engine.facts import LicenceFacts, merge_licences
from .engine.quality import QualityIndex
from .errors import CatalogueError, Problem
from .schema.catalogue import (
    STALE_DAYS,
    Hardware,
    HardwareFile,
    HostingFile,
    HostingOffer,
    Licence,
    Machine,
    ModelEntry,
    Publisher,
    PublisherFile,
    Quantizer,
    QuantizerFile,
    Vocabulary,
)
from .schema.paths import did_you_mean

__all__ = ["Catalogue", "bundled_dir", "load_catalogue"]

T = TypeVar("T", bound=BaseModel)


def bundled_dir(name: str) -> Path:
    """The bundled ``catalogue`` or ``rules`` directory (inside the wheel, or the checkout)."""
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


@dataclass(frozen=True)
class Freshness:
    reviewed: str
    newest_release: str
    release_lag_months: int
    """Months between the newest release in the catalogue and its review date."""
    old_reviews: list[str]
    """Models last reviewed more than six months before the catalogue review date."""
    old_prices: list[str]
    """Hosting offers whose price date is more than six months before it."""

    @property
    def stale(self) -> bool:
        return self.release_lag_months > 6

    def warning(self) -> str | None:
        if not self.stale:
            return None
        return (f"The newest model in this catalogue was released in {self.newest_release}, "
                f"{self.release_lag_months} months before its review date ({self.reviewed}): newer models may exist.")


@dataclass(frozen=True)
class Catalogue:
    """The loaded, cross-checked catalogue. Models are ordered by id."""

    models: dict[str, ModelEntry]
    licences: dict[str, Licence]
    publishers: dict[str, Publisher]
    hardware: dict[str, Hardware]
    offers: dict[str, HostingOffer]
    vocabulary: Vocabulary
    machines: dict[str, Machine] = field(default_factory=dict)
    """Workstations and servers that host GPU cards, priced without the cards."""
    quantizers: dict[str, Quantizer] = field(default_factory=dict)
    """Allowlisted publishers of quantized weights."""
    files: dict[str, Path] = field(default_factory=dict, compare=False)
    """Model, licence and file ids -> the file they were read from."""
    dirs: tuple[Path, ...] = ()

    @functools.cached_property
    def reviewed(self) -> str:
        dates = [m.reviewed for m in self.models.values()] + [lic.reviewed for lic in self.licences.values()]
        return max(dates).isoformat() if dates else ""

    @functools.cached_property
    def newest_release(self) -> str:
        """The latest release month (YYYY-MM) of any model in the catalogue."""
        return max((m.release for m in self.models.values()), default="")

    @functools.cached_property
    def freshness(self) -> Freshness:
        """How current the catalogue is, judged against its own review date (never the clock, so the
        same catalogue always gives the same answer)."""
        if not self.reviewed:
            return Freshness("", self.newest_release, 0, [], [])
        review = dt.date.fromisoformat(self.reviewed)
        lag = 0
        if self.newest_release:
            year, month = (int(x) for x in self.newest_release.split("-"))
            lag = (review.year - year) * 12 + review.month - month
        old_reviews = sorted(m.id for m in self.models.values() if (review - m.reviewed).days > STALE_DAYS)
        old_prices = sorted(o.id for o in self.offers.values() if o.price_date and (review - o.price_date).days > STALE_DAYS)
        return Freshness(self.reviewed, self.newest_release, lag, old_reviews, old_prices)

    @functools.cached_property
    def licence_facts(self) -> dict[str, LicenceFacts]:
        """Per model id: its licence merged with inherited licences (models under the same
        licences share one object: it is immutable)."""
        merged: dict[tuple[str, ...], LicenceFacts] = {}
        for m in self.models.values():
            ids = (m.licence, *m.inherited_licences)
            if ids not in merged:
                merged[ids] = merge_licences([self.licences[lid] for lid in ids])
        return {mid: merged[(m.licence, *m.inherited_licences)] for mid, m in self.models.items()}

    @functools.cached_property
    def quality_index(self) -> QualityIndex:
        """Catalogue-wide tables the quality estimate compares models with."""
        return QualityIndex.build(self)

    @functools.cached_property
    def memo(self) -> dict[str, dict[Any, Any]]:
        """Per-process caches of facts computed from this catalogue for some requirements
        (deployment plans, derived facts), keyed by the requirement fields they read. The
        catalogue is immutable, so an entry never goes stale."""
        return {}

    def model(self, model_id: str) -> ModelEntry:
        try:
            return self.models[model_id]
        except KeyError:
            raise CatalogueError([Problem(f"no model {model_id!r} in the catalogue"
                                          f"{did_you_mean(model_id, self.models)}", field="model")]) from None


def load_catalogue(*dirs: str | Path, bundled: bool = True) -> Catalogue:
    """Load the bundled catalogue plus overlay directories. Loaded catalogues are kept per set of
    directories for the life of the process, and reloaded when any of their files changes."""
    paths = [bundled_dir("catalogue")] if bundled else []
    for d in dirs:
        p = cache.readable_dir(d, CatalogueError, "catalogue")
        if (p / "vocabulary.yaml").exists():
            paths = [p]
        else:
            paths.append(p)
    return _LOADED.get(tuple(p.resolve() for p in paths), _load)


_LOADED: cache.Loaded[Catalogue] = cache.Loaded()


_PARTS = {"models": ModelEntry, "licences": Licence, "publishers": Publisher, "hardware": Hardware,
          "offers": HostingOffer, "vocabulary": Vocabulary, "machines": Machine, "quantizers": Quantizer}
"""What the start-up cache holds besides the file names: the validated entries by id (the
vocabulary whole), written and read by :mod:`advisor.plaindata`."""


@functools.cache
def _classes() -> dict[str, type[BaseModel]]:
    """The schema classes a cached catalogue holds."""
    from .schema import catalogue as schema, common

    return plaindata.registry([schema, common])


def _load(dirs: tuple[Path, ...], sig: tuple[object, ...] | None = None) -> Catalogue:
    key = cache.fingerprint("catalogue", dirs, sig)
    raw = cache.load("catalogue", key)
    if raw is not None:
        try:
            data = plaindata.load(raw, _classes())
            parts = [data[p] for p in _PARTS]
            files = {k: Path(v) for k, v in data["files"].items()}
            if not all(isinstance(part, cls) if cls is Vocabulary else
                       all(type(v) is cls for v in part.values()) for part, cls in zip(parts, _PARTS.values())):
                raise ValueError("a cached part holds another kind of entry")
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # corrupt, or not written by this advisor: rebuilt below
        else:
            return Catalogue(*parts, files, dirs)
    loader = _Loader()
    for d in dirs:
        loader.read_dir(d)
    catalogue = loader.finish(dirs)
    data = {p: getattr(catalogue, p) for p in _PARTS}
    data["files"] = {k: str(v) for k, v in catalogue.files.items()}
    cache.store("catalogue", key, plaindata.dump(data, _classes()))
    return catalogue


class _Loader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.models: dict[str, ModelEntry] = {}
        self.licences: dict[str, Licence] = {}
        self.publishers: dict[str, Publisher] = {}
        self.hardware: dict[str, Hardware] = {}
        self.offers: dict[str, HostingOffer] = {}
        self.machines: dict[str, Machine] = {}
        self.quantizers: dict[str, Quantizer] = {}
        self.vocabulary: Vocabulary | None = None
        self.files: dict[str, Path] = {}
        self.lines: dict[str, LineMap] = {}

    def parse(self, path: Path, schema: type[T]) -> T | None:
        try:
            data, lines = load_document(path, error=CatalogueError)
        except CatalogueError as exc:
            self.problems += exc.problems
            return None
        try:
            obj = schema.model_validate(data)
        except ValidationError as exc:
            self.problems += validation_problems(exc, str(path), lines, model=schema)
            return None
        self.lines[str(path)] = lines
        return obj

    def read_dir(self, d: Path) -> None:
        vocab = d / "vocabulary.yaml"
        if vocab.exists():
            self.vocabulary = self.parse(vocab, Vocabulary) or self.vocabulary
        pubs = d / "publishers.yaml"
        if pubs.exists() and (pf := self.parse(pubs, PublisherFile)):
            self._collect(pf.publishers, self.publishers, pubs, "publishers")
        hw = d / "hardware.yaml"
        if hw.exists() and (hf := self.parse(hw, HardwareFile)):
            self._collect(hf.hardware, self.hardware, hw, "hardware")
            self._collect(hf.machines, self.machines, hw, "machines")
        quant = d / "quantizers.yaml"
        if quant.exists() and (qf := self.parse(quant, QuantizerFile)):
            self._collect(qf.quantizers, self.quantizers, quant, "quantizers")
        hosting = d / "hosting.yaml"
        if hosting.exists() and (of := self.parse(hosting, HostingFile)):
            self._collect(of.offers, self.offers, hosting, "offers")
        for path in self._files(d / "licences"):
            if (lic := self.parse(path, Licence)) and self._stem(lic.id, path):
                self.licences[lic.id] = lic
                self.files[f"licence:{lic.id}"] = path
        publishers_dirs = self._dirs(d / "models")
        for path in (f for sub in publishers_dirs for f in self._files(sub)):
            entry = self.parse(path, ModelEntry)
            if entry is None or not self._stem(entry.id, path):
                continue
            if entry.publisher != path.parent.name:
                self._problem(path, "publisher",
                              f"{entry.publisher!r} differs from the folder name {path.parent.name!r}")
            previous = self.files.get(f"model:{entry.id}")
            if previous is not None and previous.parent.parent == path.parent.parent:
                self._problem(path, "id", f"{entry.id!r} is also used by {previous}")
            self.models[entry.id] = entry
            self.files[f"model:{entry.id}"] = path
        for path in self._files(d / "models"):
            self.problems.append(Problem("model files belong in models/<publisher>/", file=str(path)))

    def _listing(self, d: Path) -> list[os.DirEntry[str]]:
        """Entries of a directory that are not hidden (editor lock and backup files); an
        unreadable directory is a problem, never silently skipped."""
        if not d.exists():
            return []
        try:
            with os.scandir(d) as it:
                return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            self.problems.append(Problem(f"cannot read the directory: {exc.strerror or exc}", file=str(d)))
            return []

    def _files(self, d: Path) -> list[Path]:
        """The YAML files of ``d``; an entry that cannot be inspected (a symbolic-link loop) is
        kept, so that reading it reports the problem."""
        return [Path(e.path) for e in self._listing(d) if e.name.endswith(".yaml") and not _is_dir(e)]

    def _dirs(self, d: Path) -> list[Path]:
        return [Path(e.path) for e in self._listing(d) if _is_dir(e)]

    def _collect(self, items: Iterable[Any], into: dict[str, Any], path: Path, key: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                line = self.lines[str(path)].line_of((key, i, "id"))
                self.problems.append(Problem(f"duplicate id {item.id!r}", file=str(path), line=line,
                                             field=f"{key}.{i}.id"))
            seen.add(item.id)
            into[item.id] = item

    def _stem(self, entry_id: str, path: Path) -> bool:
        if entry_id != path.stem:
            self._problem(path, "id", f"{entry_id!r} differs from the file name {path.stem!r}")
            return False
        return True

    def _problem(self, path: Path, field_path: str, message: str) -> None:
        lines = self.lines.get(str(path), LineMap())
        loc = tuple(int(p) if p.isdigit() else p for p in field_path.split("."))
        self.problems.append(Problem(message, file=str(path), line=lines.line_of(loc), field=field_path))

    def finish(self, dirs: tuple[Path, ...]) -> Catalogue:
        if self.vocabulary is None:
            self.problems.append(Problem("vocabulary.yaml is missing",
                                         file=str(dirs[0]) if dirs else None))
            raise CatalogueError(self.problems)
        self._cross_check(self.vocabulary)
        if self.problems:
            raise CatalogueError(self.problems)
        return Catalogue(
            models=dict(sorted(self.models.items())),
            licences=dict(sorted(self.licences.items())),
            publishers=dict(sorted(self.publishers.items())),
            hardware=dict(sorted(self.hardware.items())),
            offers=dict(sorted(self.offers.items())),
            vocabulary=self.vocabulary,
            machines=dict(sorted(self.machines.items())),
            quantizers=dict(sorted(self.quantizers.items())),
            files=self.files,
            dirs=dirs,
        )

    def _cross_check(self, vocab: Vocabulary) -> None:
        repos: dict[str, str] = {}
        for mid, m in self.models.items():
            path = self.files[f"model:{mid}"]
            for i, lid in enumerate([m.licence, *m.inherited_licences]):
                if lid not in self.licences:
                    where = "licence" if i == 0 else f"inherited_licences.{i - 1}"
                    self._problem(path, where, f"unknown licence {lid!r}{did_you_mean(lid, self.licences)}")
            if m.publisher not in self.publishers:
                self._problem(path, "publisher",
                              f"unknown publisher {m.publisher!r}{did_you_mean(m.publisher, self.publishers)}")
            for i, task in enumerate(m.tasks):
                if task not in vocab.tasks:
                    self._problem(path, f"tasks.{i}", f"task {task!r} is not in vocabulary.yaml")
            for i, modality in enumerate(m.modalities):
                if modality not in vocab.modalities:
                    self._problem(path, f"modalities.{i}", f"modality {modality!r} is not in vocabulary.yaml")
            if m.superseded_by is not None and m.superseded_by not in self.models:
                self._problem(path, "superseded_by", f"unknown model {m.superseded_by!r}"
                                                     f"{did_you_mean(m.superseded_by, self.models)}")
            elif m.superseded_by == mid:
                self._problem(path, "superseded_by", "a model cannot supersede itself")
            for i, art in enumerate(m.artefacts):
                if art.by != "official" and art.by not in self.quantizers:
                    self._problem(path, f"artefacts.{i}.by", f"{art.by!r} is neither 'official' nor a quantizer in "
                                  f"quantizers.yaml{did_you_mean(art.by, self.quantizers)}")
            for i, bench in enumerate(m.quality.benchmarks):
                if bench.name not in vocab.benchmarks:
                    self._problem(path, f"quality.benchmarks.{i}.name", f"benchmark {bench.name!r} is not in "
                                  f"vocabulary.yaml{did_you_mean(bench.name, vocab.benchmarks)}")
            key = m.hf_repo.lower()
            if key in repos:
                self._problem(path, "hf_repo", f"{m.hf_repo!r} is also the repository of {repos[key]!r}")
            repos[key] = mid
        for oid, offer in self.offers.items():
            if not self.hardware:
                break  # hardware.yaml itself failed; its own errors are reported
            if offer.accelerator is not None and offer.accelerator not in self.hardware:
                self.problems.append(Problem(
                    f"offer {oid!r}: unknown accelerator {offer.accelerator!r}"
                    f"{did_you_mean(offer.accelerator, self.hardware)}", field="offers.accelerator"))
            for mid in offer.models:
                if mid not in self.models:
                    self.problems.append(Problem(f"offer {oid!r}: unknown model {mid!r}"
                                                 f"{did_you_mean(mid, self.models)}", field="offers.models"))
            for cert in offer.certifications:
                if cert not in vocab.certifications:
                    self.problems.append(Problem(
                        f"offer {oid!r}: certification {cert!r} is not in vocabulary.yaml"
                        f"{did_you_mean(cert, vocab.certifications)}", field="offers.certifications"))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # e.g. a symbolic-link loop: not a directory to descend into
        return False

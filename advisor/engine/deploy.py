"""Choosing how to run one model for one set of requirements, as an inference engineer would.

- **Engine by device**: vLLM on NVIDIA/AMD GPUs (and NVIDIA unified memory), llama.cpp with GGUF
  weights on CPUs and Apple/AMD unified memory.
- **Formats**: on GPUs BF16, FP8 (the official FP8 release, or vLLM's FP8 quantization of the
  official BF16 weights), MXFP4/INT4 where that is the official release, AWQ/GPTQ 4-bit where an
  official or allowlisted repository exists; on llama.cpp GGUF from BF16 down to Q4_K_M (Q3_K_M
  only as a last resort). A plan never uses a higher precision than the official weights.
- **Concurrency**: ``concurrent_users`` are people. The plan sizes the KV cache for the requests
  active at once (``use_case.simultaneous_requests``, else half the users for interactive use and
  all of them for batch extraction or classification) at a typical length (half the maximum
  context), and reports how many requests can hold the full context at once (at least one must).
- **Choice**: the highest-quality format that fits and meets the speed need (about 10 tokens/s per
  user and a first token within 10 s for interactive use); when none meets it, the fastest that
  fits, flagged as slow. Several GPUs run tensor-parallel in powers of two.
- **Where**: your hardware; hardware to buy (cards plus the machine around them, within the
  hardware budget); or the cheapest rented offer that meets the mode, the certifications and the
  need, within the monthly budget.
- **Command**: every plan carries the command line that runs it, and the assumptions it rests on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .. import compute
from ..compute import FORMATS, Device, Memory, Speed
from ..schema.catalogue import STALE_DAYS, Hardware, HostingOffer, Machine, ModelEntry
from ..schema.common import construct, updated
from ..schema.iso import EEA_MEMBERS
from ..schema.requirements import HardwareRef, Requirements
from .facts import DeploymentFacts
from .memo import per_model

INTERACTIVE = {"tokens_per_s": 10.0, "ttft_s": 10.0, "active_share": 0.5}
"""Interactive use (chat, questions on documents, code, agents): about 10 tokens/s per user keeps
pace with reading, the first token within 10 s, half the users active at once."""
DOCUMENT_TTFT_S = 30.0
"""Interactive work on documents (summaries, questions on a file): the user hands over pages of
text and accepts up to 30 s before the answer starts, as for a print or upload."""
BATCH = {"tokens_per_s": 3.0, "ttft_s": 60.0, "active_share": 1.0}
"""Batch work (extraction, classification only): throughput matters, every profile is active."""
BATCH_TASKS = {"extraction", "classification"}
DOCUMENT_TASKS = {"document_qa", "summarisation", "extraction", "translation", "classification", "vision"}
TYPICAL_SHARE = {"documents": 0.5, "conversation": 0.25}
"""A typical request holds half the maximum context when it carries documents, a quarter in a
conversation (chat, code, agents) that grows towards the maximum only in long sessions."""
PURCHASE_COUNTS = (1, 2, 4, 8)
QUALITY_FLOOR = 3
"""Rented and bought set-ups are sized for at least 4-bit quality (Q4_K_M, AWQ, MXFP4)."""
HOURS_PER_MONTH = 730
REQUESTS_PER_USER_DAY, WORKING_DAYS, ANSWER_TOKENS = 20, 21, 400
"""Traffic estimate when ``use_case.monthly_tokens`` is not given: 20 requests per user and
working day, 21 working days a month, each the typical request plus a 400-token answer."""
AVERAGE_LOAD = 0.5
"""Hardware you run yourself draws its rated power for half of the month's hours on average."""
CLASS_ORDER = ("laptop", "desktop", "workstation", "server", "datacentre")


@dataclass(frozen=True, slots=True)
class Load:
    """What the requirements ask of a deployment."""

    context: int
    typical: int
    users: int
    sequences: int
    need_tokens_per_s: float
    need_ttft_s: float
    batch: bool
    given: bool
    """simultaneous_requests was given by the user."""

    @staticmethod
    def of(req: Requirements) -> Load:
        use = req.use_case
        batch = set(use.tasks) <= BATCH_TASKS
        profile = BATCH if batch else INTERACTIVE
        given = use.simultaneous_requests is not None
        sequences = use.simultaneous_requests if given else max(1, math.ceil(use.concurrent_users
                                                                             * profile["active_share"]))
        documents = bool(set(use.tasks) & DOCUMENT_TASKS)
        share = TYPICAL_SHARE["documents" if documents else "conversation"]
        typical = max(256, min(use.context_tokens, round(use.context_tokens * share)))
        ttft = profile["ttft_s"] if batch or not documents else DOCUMENT_TTFT_S
        return Load(use.context_tokens, typical, use.concurrent_users, int(sequences), profile["tokens_per_s"],
                    ttft, batch, given)


@dataclass(frozen=True, slots=True)
class Artefact:
    repo: str
    by: str
    how: str
    """official | quantizer | online (vLLM quantizes the official weights) | convert (llama.cpp
    converts and quantizes the official weights)."""


@dataclass(frozen=True, slots=True)
class Traffic:
    """Tokens a month, for per-token prices."""

    input_tokens: int
    output_tokens: int
    estimated: bool

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens

    @staticmethod
    def of(req: Requirements, load: Load) -> Traffic:
        share = ANSWER_TOKENS / (load.typical + ANSWER_TOKENS)
        given = req.use_case.monthly_tokens
        if given is not None:
            return Traffic(round(given * (1 - share)), round(given * share), False)
        requests = req.use_case.concurrent_users * REQUESTS_PER_USER_DAY * WORKING_DAYS
        return Traffic(requests * load.typical, requests * ANSWER_TOKENS, True)

    def describe(self) -> str:
        text = f"{self.total / 1e6:,.1f} million tokens a month ({self.input_tokens / 1e6:,.1f} M in, " \
               f"{self.output_tokens / 1e6:,.1f} M out)"
        if self.estimated:
            text += (f", estimated from {REQUESTS_PER_USER_DAY} requests per user and working day over "
                     f"{WORKING_DAYS} days, each the typical request plus a {ANSWER_TOKENS}-token answer")
        return text


@dataclass(frozen=True, slots=True)
class Plan:
    """One way to run one model on one set-up."""

    fmt: str
    kv_dtype: str
    memory: Memory
    device: Device
    speed: Speed
    ttft_s: float
    sessions_full: int
    artefact: Artefact
    meets: bool
    monthly_cost_eur: float = 0.0
    purchase_eur: float | None = None
    machine: Machine | None = None
    offer: HostingOffer | None = None

    def rented(self, offer: HostingOffer, monthly_cost_eur: float) -> Plan:
        """This plan on a rented ``offer`` (a new plan: the plan on each set-up is kept per load)."""
        return Plan(self.fmt, self.kv_dtype, self.memory, self.device, self.speed, self.ttft_s, self.sessions_full,
                    self.artefact, self.meets, monthly_cost_eur, self.purchase_eur, self.machine, offer)

    def bought(self, purchase_eur: float, machine: Machine | None) -> Plan:
        """This plan on hardware bought for ``purchase_eur`` (in ``machine``, for cards)."""
        return Plan(self.fmt, self.kv_dtype, self.memory, self.device, self.speed, self.ttft_s, self.sessions_full,
                    self.artefact, self.meets, self.monthly_cost_eur, purchase_eur, machine, self.offer)

    @property
    def engine(self) -> str:
        return FORMATS[self.fmt].engine

    @property
    def quality(self) -> int:
        return FORMATS[self.fmt].quality

    @property
    def usable_gb(self) -> float:
        return self.device.usable(self.engine)

    @property
    def utilisation(self) -> float:
        usable = self.usable_gb
        return self.memory.total_gb / usable if usable else 1.0


def devices_from(req: Requirements, hardware: dict[str, Hardware]) -> list[Device]:
    devices = []
    for spec in req.hosting.hardware:
        if isinstance(spec, HardwareRef):
            device = Device.from_hardware(hardware[spec.accelerator], spec.count)
            if device.hardware_class is None:  # a catalogue item without a class (older overlays)
                device = replace(device, hardware_class=inline_class(device.kind, device.memory_gb))
            devices.append(device)
        else:
            devices.append(Device(spec.name, spec.kind, spec.memory_gb, spec.bandwidth_gbps, spec.count,
                                  compute.INLINE_USABLE_FRACTION[spec.kind],
                                  hardware_class=inline_class(spec.kind, spec.memory_gb)))
    return devices


def inline_class(kind: str, memory_gb: float) -> str:
    """The class of hardware described by hand (or a catalogue item without one): a GPU of up to 32 GB is a desktop card (llama.cpp
    or vLLM), up to 48 GB a workstation card, larger a server card; CPUs and unified memory of up
    to 128 GB are desktops or laptops, larger ones servers."""
    if kind == "gpu":
        return "desktop" if memory_gb <= 32 else "workstation" if memory_gb <= 48 else "server"
    return "desktop" if memory_gb <= 128 else "server"


def eligible_offers(req: Requirements, offers: Iterable[HostingOffer]) -> list[HostingOffer]:
    mode = req.hosting.mode
    wanted = set(req.hosting.certifications)
    result = []
    for offer in offers:
        if mode == "eu_sovereign_cloud" and (offer.cloud_act or offer.provider_country not in EEA_MEMBERS):
            continue
        if mode in ("eu_sovereign_cloud", "eu_cloud") and offer.region_country not in EEA_MEMBERS:
            continue
        if not wanted <= set(offer.certifications):
            continue
        result.append(offer)
    return result


def euros(value: float | None) -> str:
    return "unknown" if value is None else f"€{value:,.0f}"


def cost_points(cost: float, budget: float | None, *, low: float, high: float) -> float:
    """100 when free; within a budget, 100 falling to 40 at the full budget; without a
    budget, logarithmic between ``low`` (100) and ``high`` (0) euros."""
    if cost <= 0:
        return 100.0
    if budget:
        return max(0.0, 100 - 60 * cost / budget)
    return 100 - compute.log_points(cost, low, high)


def capacity_points(sessions_full: int, sequences: int) -> float:
    """0-100: the share of the simultaneous requests that could hold the full context at once
    (saturating: 100 once all of them can)."""
    return round(100 * min(1.0, sessions_full / max(1, sequences)), 1)


def slow_points(per_user: float, ttft: float, need_tps: float, need_ttft: float) -> float:
    """0-100 for a plan that misses the need: how much of it it meets (the smaller of the speed
    ratio and the time-to-first-token ratio), so a plan twice too slow keeps half."""
    share = min(1.0, per_user / need_tps, need_ttft / max(ttft, 1e-9))
    return round(100 * share, 1)


def speed_bonus(per_user: float, need: float) -> float:
    """0-100: how far the speed exceeds the need (saturating: 100 at twice the need, 0 below it)."""
    if per_user < need:
        return 0.0
    return round(100 * min(1.0, math.log2(per_user / need)), 1)


QUANTIZATION_POINTS = {0: 0.0, 1: 0.0, 2: -2.0, 3: -4.0, 4: -12.0}
"""Capability points a compressed format costs: none for BF16, FP8 and Q8_0, a little for 5-6 bits,
a small but real loss at 4 bits, a noticeable one below."""


def _official_format(model: ModelEntry) -> str:
    return {"fp8": "FP8", "mxfp4": "MXFP4", "int4": "INT4"}.get(model.weights_dtype or "bf16", "BF16")


def artefact_for(model: ModelEntry, fmt: str, quantizers: Sequence[str]) -> Artefact | None:
    """The repository a plan downloads: the official one when it holds the format, else an
    official or allowlisted quantized repository, else a documented way from the official weights
    (vLLM's online FP8 quantization, llama.cpp's converter); None when the format is not available."""
    f = FORMATS[fmt]
    official = _official_format(model)
    if f.engine == "vllm" and f.artefact == official:
        return Artefact(model.hf_repo, "official", "official")
    rank = {q: i for i, q in enumerate(quantizers)}
    found = [a for a in model.artefacts if a.format == f.artefact
             and (f.gguf_type is None or not a.gguf_types or f.gguf_type in a.gguf_types)]
    found.sort(key=lambda a: (a.by != "official", rank.get(a.by, len(rank)), a.repo))
    if found:
        return Artefact(found[0].repo, found[0].by, "official" if found[0].by == "official" else "quantizer")
    if fmt == "FP8" and official == "BF16":
        return Artefact(model.hf_repo, "official", "online")
    if f.engine == "llama.cpp" and official in ("BF16", "FP8") and f.gguf_type != "MXFP4":
        return Artefact(model.hf_repo, "official", "convert")
    return None


def tensor_parallel_sizes(model: ModelEntry, count: int) -> list[int]:
    """Powers of two up to ``count`` that divide the attention heads (vLLM's requirement)."""
    heads = model.architecture.num_attention_heads or 1
    sizes = []
    n = 1
    while n <= count:
        if heads % n == 0:
            sizes.append(n)
        n *= 2
    return sizes


def _class_index(cls: str | None) -> int:
    return CLASS_ORDER.index(cls) if cls in CLASS_ORDER else len(CLASS_ORDER) - 1


@dataclass
class Planner:
    """Plans deployments for one set of requirements; reused across the catalogue."""

    req: Requirements
    hardware: dict[str, Hardware]
    offers: Sequence[HostingOffer]
    machines: Sequence[Machine] = ()
    quantizers: Sequence[str] = ()
    certification_labels: dict[str, str] = field(default_factory=dict)
    price_reference: dt.date | None = None
    """Prices dated more than STALE_DAYS before this date (the catalogue review) are flagged."""
    static: dict[tuple[Any, ...], tuple[ModelEntry, Any]] = field(default_factory=dict)
    """Results that depend only on the catalogue (artefacts, the lightest format), shared by the
    planners of one catalogue; keyed by model id and checked by identity like ``_memo``."""
    per_load: dict[tuple[Any, ...], tuple[ModelEntry, Any]] | None = None
    """Results that depend only on the catalogue and the :class:`Load` (the best plan on each
    set-up, the memory of each format), shared by the planners of requirements with that load:
    the hosting mode, budgets and offers only choose among them."""
    load: Load = field(init=False)

    def __post_init__(self) -> None:
        self.load = Load.of(self.req)
        self._memo: dict[tuple[Any, ...], tuple[ModelEntry, Any]] = {} if self.per_load is None else self.per_load
        """Per model (checked by identity, so a patched copy in a rule test is never mixed up)."""
        self.devices = devices_from(self.req, self.hardware)
        offers = eligible_offers(self.req, self.offers)
        self.eligible = [o for o in offers if o.kind != "managed_api" and o.accelerator in self.hardware]
        self.apis = [o for o in offers if o.kind == "managed_api" and o.eur_per_million_tokens]
        self._api_models = [(o, frozenset(o.models)) for o in self.apis]
        self.traffic = Traffic.of(self.req, self.load)
        self.unmet = self._unmet_certifications()
        self._offer_devices = self._rentals()
        self._offer_ids = tuple(o.id for o, _, _ in self._offer_devices)
        self._rooms: dict[Device, float] = {}

    def _rentals(self) -> tuple[tuple[HostingOffer, Device, float], ...]:
        """The eligible GPU offers with their set-up and monthly cost, cheapest first. Which offers
        are eligible depends on the hosting mode and certifications alone, so there are few such
        lists per catalogue: they are kept in ``static`` (checked by the offers' identity)."""
        key = ("rentals", *(o.id for o in self.eligible))
        hit = self.static.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], self.eligible, strict=True)):
            hit = self.static[key] = (tuple(self.eligible), tuple(sorted(
                ((o, Device.from_hardware(self.hardware[o.accelerator or ""], o.count or 1), monthly_cost(o))
                 for o in self.eligible), key=lambda od: (od[0].monthly_eur, od[0].id))))
        return hit[1]

    def _unmet_certifications(self) -> list[str]:
        """When no offer meets the mode and the certifications: those no offer of the mode holds
        (all of them when each is held somewhere, but never together)."""
        wanted = self.req.hosting.certifications
        if self.eligible or self.apis or not wanted:
            return []
        anyhow = self.req.model_copy(update={"hosting": self.req.hosting.model_copy(update={"certifications": []})})
        held = {c for o in eligible_offers(anyhow, self.offers) for c in o.certifications}
        return [c for c in wanted if c not in held] or list(wanted)

    # -- the entry point
    def plan(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        if model.missing_facts or model.not_rankable:  # never sized on a guess
            return construct(DeploymentFacts, status="incomplete", context_tokens=self.load.context), None
        mode = self.req.hosting.mode
        if mode == "on_premises":
            return self._owned(model) if self.devices else self._purchase(model)
        if mode == "any" and self.devices:
            facts, plan = self._owned(model)
            if plan is not None:
                return facts, plan
            cloud_facts, cloud_plan = self._cloud(model)
            if cloud_facts.status == "fits":
                return cloud_facts, cloud_plan
            return facts, None
        if mode == "any":
            return self._cheapest(model)
        return self._cloud(model)

    def _cheapest(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        """Mode 'any' without hardware of your own: renting, a per-token API or buying, compared per
        month (a purchase over the amortisation period, plus power)."""
        cloud, plan = self._cloud(model)
        buy, buy_plan = self._purchase(model)
        if buy.status != "fits" or buy.monthly_equivalent_eur is None:
            return cloud, plan
        buying = f"buying {buy.hardware} (about {euros(buy.purchase_eur)}) would cost {buy.monthly_equivalent_text}"
        if cloud.status == "fits" and cloud.monthly_cost_eur <= buy.monthly_equivalent_eur:
            return updated(cloud, cost_choice=f"{cloud.cost_choice}; {buying}"), plan
        why = (f"cheaper per month than renting or per-token prices ({euros(cloud.monthly_cost_eur)} a month)"
               if cloud.status == "fits" else "no rented offer or per-token API runs it within your needs")
        points = cost_points(buy.monthly_equivalent_eur, self.req.budget.monthly_eur, low=300, high=30_000)
        return updated(buy, cost_choice=f"{why}: {buying}", cost_points=round(points, 1)), buy_plan

    # -- plans on one set-up
    def best_on(self, model: ModelEntry, device: Device, floor: int | None = None) -> Plan | None:
        """``best(candidates(...))``, memoised per set-up: many offers and purchase options share
        the same cards, so a model is sized once per distinct set-up. A set-up with less memory
        than the model needs on any set-up (:meth:`_least_anywhere`) has no candidate: it is
        turned down before that (most offers and set-ups to buy, for most models)."""
        if self._least_anywhere(model) > self._room(device):
            return None
        return per_model(self._memo, ("best", model.id, device, floor), model,
                         lambda: self.best(self.candidates(model, device, floor, stop=True)))

    def _least_anywhere(self, model: ModelEntry) -> float:
        """A lower bound of every :meth:`_least` that :meth:`candidates` asks for, on any
        set-up: each engine's formats (vLLM's with BF16 and FP8 both, whatever a set-up drops
        or adds) with every KV precision it may use. Weights are the only part of the memory
        that depends on the format, so more formats and smaller KV caches never need more."""
        def least() -> float:
            gpu = compute.gpu_formats(model)
            vllm = gpu if "BF16" in gpu else ("BF16", *gpu)
            return min(self._least(model, vllm, ("fp16", "fp8")),
                       self._least(model, compute.gguf_formats(model), ("fp16", "q8_0")))
        return per_model(self._memo, ("least-anywhere", model.id), model, least)

    def _room(self, device: Device) -> float:
        """The most memory any engine may use on ``device`` (:meth:`Device.usable`)."""
        room = self._rooms.get(device)
        if room is None:
            room = self._rooms[device] = max(device.usable("vllm"), device.usable("llama.cpp"))
        return room

    def candidates(self, model: ModelEntry, device: Device, floor: int | None = None, *,
                   stop: bool = False) -> list[Plan]:
        """Every format that fits ``device``: vLLM formats over all its GPUs (tensor-parallel), and
        on workstation and desktop GPUs, CPUs and unified memory (also NVIDIA's, which runs vLLM
        too) llama.cpp GGUF types. With
        ``stop``, each engine's formats end after the best quality tier that meets the need (what
        ``best`` picks from is unchanged)."""
        plans = []
        if device.engine == "vllm":
            plans += self._vllm(model, device, floor, stop)
        if device.engine != "vllm" or (device.kind in ("gpu", "unified") and _class_index(device.hardware_class)
                                       < _class_index("server")):
            split = replace(device, split_layers=True) if device.kind == "gpu" and device.count > 1 else device
            plans += self._gguf(model, split, floor, stop)
        return plans

    def _vllm(self, model: ModelEntry, device: Device, floor: int | None, stop: bool) -> list[Plan]:
        formats = compute.gpu_formats(model)
        if model.weights_dtype == "fp8" and any(a.format == "BF16" and a.by == "official" for a in model.artefacts):
            formats = ("BF16", *formats)
        if not device.fp8_weights:
            formats = tuple(f for f in formats if f != "FP8")
        sizes = tensor_parallel_sizes(model, device.count)
        if not sizes:
            return []
        used = device if sizes[-1] == device.count else device.with_count(sizes[-1])
        return self._each(model, formats, ["fp8"] if used.fp8 else ["fp16"], used, floor, stop)

    def _gguf(self, model: ModelEntry, device: Device, floor: int | None, stop: bool) -> list[Plan]:
        return self._each(model, compute.gguf_formats(model), ["fp16", "q8_0"], device, floor, stop)

    def _each(self, model: ModelEntry, formats: Sequence[str], kv_options: Sequence[str], device: Device,
              floor: int | None, stop: bool = False) -> list[Plan]:
        plans: list[Plan] = []
        if self._least(model, formats, kv_options) > device.usable(FORMATS[formats[0]].engine if formats else "vllm"):
            return plans  # not even the smallest format fits this set-up
        met: int | None = None
        for fmt in sorted(formats, key=lambda f: FORMATS[f].quality) if stop else formats:
            quality = FORMATS[fmt].quality
            if met is not None and quality > met:
                break  # a better tier already meets the need: best() never picks a worse one
            if floor is not None and quality > floor + 1:
                continue
            artefact = self._artefact(model, fmt)
            if artefact is None:
                continue
            for kv in kv_options:
                plan = self._plan(model, fmt, kv, device, artefact)
                if plan is not None:
                    plans.append(plan)
                    if stop and plan.meets and met is None:
                        met = quality
                    break  # the better KV precision fits: no need for the smaller one
        return plans

    def _least(self, model: ModelEntry, formats: Sequence[str], kv_options: Sequence[str]) -> float:
        """The least memory any of ``formats`` (with a download) needs at this load: a set-up with
        less usable memory cannot hold the model, whatever its speed. Memory grows with the weights
        and the KV cache does not depend on the format, so the lightest format gives it."""
        def least() -> float:
            light = self._lightest(model, tuple(formats))
            needs = [] if light is None else [
                max(m.total_gb, m.weights_gb + m.activations_gb + m.kv_full_gb)
                for kv in kv_options if (m := self._memory(model, light, kv)) is not None]
            return min(needs, default=math.inf)
        return per_model(self._memo, ("least", model.id, tuple(formats), tuple(kv_options)), model, least)

    def _lightest(self, model: ModelEntry, formats: tuple[str, ...]) -> str | None:
        """The format among ``formats`` with a download and the least weight memory (first on ties)."""
        def lightest() -> str | None:
            sized = [(w, i, fmt) for i, fmt in enumerate(formats) if self._artefact(model, fmt) is not None
                     and (w := compute.weights_gb(model, fmt)) is not None]
            return min(sized)[2] if sized else None
        return per_model(self.static, ("lightest", model.id, formats), model, lightest)

    def _artefact(self, model: ModelEntry, fmt: str) -> Artefact | None:
        return per_model(self.static, ("artefact", model.id, fmt), model, lambda: artefact_for(model, fmt, self.quantizers))

    def _memory(self, model: ModelEntry, fmt: str, kv: str) -> Memory | None:
        """Memory at this load: the same on every set-up, so computed once per format and KV type."""
        load = self.load
        return per_model(self._memo, ("memory", model.id, fmt, kv), model, lambda: compute.memory(
            model, fmt, context=load.context, typical=load.typical, sequences=load.sequences, kv_dtype=kv))

    def _plan(self, model: ModelEntry, fmt: str, kv: str, device: Device, artefact: Artefact) -> Plan | None:
        load = self.load
        mem = self._memory(model, fmt, kv)
        if mem is None:
            return None
        engine = FORMATS[fmt].engine
        usable = device.usable(engine)
        if mem.total_gb > usable or mem.weights_gb + mem.activations_gb + mem.kv_full_gb > usable:
            return None
        speed = compute.decode_speed(model, fmt, load.typical, load.sequences, device, kv, engine)
        if speed is None:
            return None
        ttft = compute.prefill_seconds(model, fmt, load.typical, device)
        meets = speed.per_user >= load.need_tokens_per_s and ttft <= load.need_ttft_s
        return Plan(fmt, kv, mem, device, speed, ttft, compute.sessions_at_full_context(model, mem, usable),
                    artefact, meets)

    @staticmethod
    def best(plans: Sequence[Plan]) -> Plan | None:
        """The highest-quality plan that meets the need (vLLM before llama.cpp at equal quality:
        it batches many users better); else the fastest at 4-bit quality or better."""
        if not plans:
            return None
        meeting = [p for p in plans if p.meets]
        if meeting:
            return min(meeting, key=lambda p: (p.quality, p.engine != "vllm", -p.speed.per_user, p.fmt))
        floor = [p for p in plans if p.quality <= QUALITY_FLOOR] or list(plans)
        return max(floor, key=lambda p: (p.speed.per_user, -p.quality, p.fmt))

    # -- where it runs
    def _owned(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        plans = [p for d in self.devices if (p := self.best_on(model, d)) is not None]
        if not plans:
            largest = max(d.usable_gb for d in self.devices)
            return self._miss(model, "too_big", largest, target="owned"), None
        best = self.best(plans)
        assert best is not None
        return self._facts(model, best, "owned"), best

    def _machine_for(self, device: Device) -> Machine | None:
        if device.sold_as == "machine" or device.kind != "gpu":
            return None
        server = _class_index(device.hardware_class) >= _class_index("server")
        options = [m for m in self.machines if m.max_gpus >= device.count
                   and (m.hardware_class in ("server", "datacentre")) == server]
        options = options or [m for m in self.machines if m.max_gpus >= device.count]
        return min(options, key=lambda m: (m.price_eur, m.id)) if options else None

    def _setups(self, classes: Sequence[str] | None) -> list[tuple[float, Device, Machine | None]]:
        """Set-ups to buy (still sold new, with a price; whole machines for Macs, AI boxes and CPU
        servers; cards plus a workstation or server for GPUs), cheapest first: the same for every
        model and profile, so built once per catalogue (in ``static``)."""
        key = ("setups", tuple(classes) if classes is not None else None)
        if key not in self.static:
            setups = []
            for hw in self.hardware.values():
                if hw.price_eur is None or hw.available_new is False or hw.sold_as == "platform":
                    continue
                if classes is not None and hw.hardware_class not in classes:
                    continue
                counts = PURCHASE_COUNTS if hw.kind == "gpu" and hw.sold_as == "card" else (1,)
                for count in counts:
                    device = Device.from_hardware(hw, count)
                    machine = self._machine_for(device)
                    if hw.kind == "gpu" and hw.sold_as == "card" and machine is None and self.machines:
                        continue  # no machine takes that many cards
                    price = round(hw.price_eur * count + (machine.price_eur if machine else 0.0), 2)
                    setups.append((price, device, machine))
            setups.sort(key=lambda s: (s[0], s[1].name))
            self.static[key] = (None, setups)  # type: ignore[assignment]
        return self.static[key][1]

    def purchase_options(self, model: ModelEntry, *, classes: Sequence[str] | None = None,
                         max_price: float | None = None, cheapest: bool = False) -> tuple[Plan, ...]:
        """The best plan on each set-up to buy, cheapest set-up first. With ``cheapest``, the scan
        ends after the price of the first set-up that meets the need (nothing dearer can be the
        cheapest one that meets it). Kept per load: a tuple, shared by every profile with it."""
        key = ("purchase", model.id, tuple(classes) if classes is not None else None, max_price, cheapest)
        return per_model(self._memo, key, model, lambda: self._purchasable(model, classes, max_price, cheapest))

    def _purchasable(self, model: ModelEntry, classes: Sequence[str] | None, max_price: float | None,
                     cheapest: bool) -> tuple[Plan, ...]:
        options: list[Plan] = []
        met_price: float | None = None
        for price, device, machine in self._setups(classes):
            if max_price is not None and price > max_price:
                break
            if met_price is not None and price > met_price:
                break
            plan = self.best_on(model, device, QUALITY_FLOOR)
            if plan is not None and plan.quality <= QUALITY_FLOOR:
                options.append(plan.bought(price, machine))
                if cheapest and plan.meets and met_price is None:
                    met_price = price
        return tuple(options)

    def _purchase(self, model: ModelEntry, classes: Sequence[str] | None = None) -> tuple[DeploymentFacts, Plan | None]:
        """With a hardware budget: a set-up that meets the speed need if the budget allows one,
        then the best quality, then the lowest price; without one: the cheapest that meets the need
        (among ``classes`` of hardware when given: server cards for a data centre)."""
        budget = self.req.budget.hardware_eur
        options = self.purchase_options(model, classes=classes, cheapest=budget is None)
        if not options:
            return self._miss(model, "too_big", None, target="purchase"), None
        key = lambda p: (not p.meets, p.purchase_eur or 0.0, p.quality, p.device.name)
        if budget is not None:
            within = [p for p in options if (p.purchase_eur or 0.0) <= budget]
            if within:
                pick = min(within, key=lambda p: (not p.meets, p.quality, p.purchase_eur or 0.0, p.device.name))
                return self._facts(model, pick, "purchase"), pick
            pick = min(options, key=key)
            over = round((pick.purchase_eur or 0.0) - budget, 2)
            facts = self._facts(model, pick, "purchase")
            return updated(facts, status="over_budget", over_budget_eur=over, cost_points=0), None
        pick = min(options, key=key)
        return self._facts(model, pick, "purchase"), pick

    def _cloud(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        """The cheaper of a rented GPU (24/7) and a per-token API serving the model, both meeting
        the mode and certifications; the plan says which it chose and why."""
        api = self._api(model)
        gpu, plan = self._rented(model) if self._offer_devices or api is None else (None, None)
        if api is None:
            assert gpu is not None
            if gpu.status in ("fits", "over_budget"):
                gpu = updated(gpu, cost_choice="the cheapest rented GPU offer that runs it; no per-token API in the "
                                               "catalogue serves this model under your hosting mode and certifications")
            return gpu, plan
        priced = [f for f in (gpu, api) if f is not None and f.status in ("fits", "over_budget")]
        fitting = [f for f in priced if f.status == "fits"] or priced
        pick = min(fitting, key=lambda f: (f.monthly_cost_eur, f.target != "cloud"))
        other = next((f for f in priced if f is not pick), None)
        if pick is api:
            why = ("the only priced option: no rented GPU offer meets your hosting mode and certifications"
                   if gpu is None else "the only priced option: no rented GPU offer runs it" if other is None else
                   f"cheaper than the cheapest GPU instance that runs it ({other.provider}, {other.hardware}, "
                   f"about €{other.monthly_cost_eur:,.0f} a month for 730 hours)")
            return updated(api, cost_choice=why), None
        assert gpu is not None
        return updated(gpu, cost_choice=(
            f"cheaper than {api.provider}'s per-token API for this model (about €{api.monthly_cost_eur:,.0f} "
            f"a month for {self.traffic.describe()})")), plan

    def _api(self, model: ModelEntry) -> DeploymentFacts | None:
        """The cheapest per-token API in the catalogue that serves ``model``, priced for the traffic."""
        offers = [o for o, served in self._api_models if model.id in served]
        if not offers:
            return None
        traffic = self.traffic

        def monthly(o: HostingOffer) -> float:
            price = o.eur_per_million_tokens
            assert price is not None
            return round(traffic.input_tokens / 1e6 * price.input + traffic.output_tokens / 1e6 * price.output
                         + (o.eur_per_month or 0.0) + o.setup_fee_eur / 12, 2)

        offer = min(offers, key=lambda o: (monthly(o), o.id))
        cost, budget, price = monthly(offer), self.req.budget.monthly_eur, offer.eur_per_million_tokens
        assert price is not None
        facts = construct(DeploymentFacts,
            status="fits", target="api", engine="managed_api", quantization="", hardware="managed API",
            hardware_name=f"{offer.provider} API", meets_speed=True, quantization_points=0,
            context_tokens=self.load.context, typical_context_tokens=self.load.typical,
            simultaneous_requests=self.load.sequences, hosting=offer.id, provider=offer.provider,
            provider_country=offer.provider_country, region_country=offer.region_country, cloud_act=offer.cloud_act,
            certifications=list(offer.certifications), monthly_cost_eur=cost, cost_basis="per_token",
            monthly_tokens=traffic.total, monthly_tokens_estimated=traffic.estimated,
            monthly_tokens_text=traffic.describe(), eur_per_million_input=price.input,
            eur_per_million_output=price.output, price_date=offer.price_date, price_stale=self._stale(offer.price_date),
            setup_fee_eur=offer.setup_fee_eur,
            budget_eur=budget, cost_points=round(cost_points(cost, budget, low=300, high=30_000), 1),
            assumptions=[
                f"traffic: {traffic.describe()}",
                f"{offer.provider} prices: €{price.input:g} per million input and €{price.output:g} per million "
                "output tokens, excluding VAT (indicative)",
                "speed, context limit and weight precision are the provider's: advisor does not estimate them",
                *([f"data use: {offer.data_use}"] if offer.data_use else []),
            ],
            sources=[s.url for s in offer.sources])
        if budget is not None and cost > budget:
            return updated(facts, status="over_budget", over_budget_eur=round(cost - budget, 2), cost_points=0)
        return facts

    def _rentable(self, model: ModelEntry) -> tuple[tuple[bool, float, int, str, Plan, HostingOffer], ...]:
        """The offers that run ``model`` at this load, each with its best plan there, in the order of
        preference (meets the need, monthly cost, quality, offer id; ids are unique). The scan
        stops after the first price that meets the need: the budget only chooses among these."""
        found: list[tuple[bool, float, int, str, Plan, HostingOffer]] = []
        best: tuple[bool, float, int, str, Plan, HostingOffer] | None = None
        for offer, device, cost in self._offer_devices:  # cheapest first
            if best is not None and not best[0] and offer.monthly_eur > best[1]:
                break
            plan = self.best_on(model, device, QUALITY_FLOOR)
            if plan is not None and plan.quality <= QUALITY_FLOOR:
                option = (not plan.meets, cost, plan.quality, offer.id, plan, offer)
                found.append(option)
                if best is None or option[:4] < best[:4]:
                    best = option
        found.sort(key=lambda o: o[:4])
        return tuple(found)  # kept per load, shared by every profile with it

    def _rented(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        if not self._offer_devices:
            if self.unmet:  # never "drop the certification": plan hardware run under your own control
                facts, plan = self._purchase(model, classes=("server", "datacentre"))
                names = ", ".join(self.certification_labels.get(c, c) for c in self.unmet)
                return updated(facts, certifications_unmet=list(self.unmet), certifications_unmet_names=names), plan
            return construct(DeploymentFacts, status="no_offer", target="cloud", context_tokens=self.load.context,
                                                   suggestion=self.suggest(model)), None
        budget = self.req.budget.monthly_eur
        found = per_model(self._memo, ("rented", model.id, self._offer_ids), model, lambda: self._rentable(model))
        if not found:
            largest = max(d.usable_gb for _, d, _ in self._offer_devices)
            return self._miss(model, "too_big", largest, target="cloud"), None
        chosen = next((o for o in found if budget is None or o[1] <= budget), found[0])
        within = chosen[1] <= budget if budget is not None else True
        pick = chosen[4].rented(chosen[5], chosen[1])
        facts = self._facts(model, pick, "cloud")
        if within:
            return facts, pick
        over = round(pick.monthly_cost_eur - (budget or 0), 2)
        return updated(facts, status="over_budget", over_budget_eur=over, cost_points=0), None

    # -- misses and suggestions
    def _miss(self, model: ModelEntry, status: str, available: float | None, *, target: str | None) -> DeploymentFacts:
        load = self.load
        low = compute.gpu_formats(model)[-1]
        mem = compute.memory(model, low, context=load.context, typical=load.typical, sequences=load.sequences,
                             kv_dtype="fp8")
        needed = None if mem is None else max(mem.total_gb, mem.weights_gb + mem.activations_gb + mem.kv_full_gb)
        shortfall = max(0.0, needed - available) if needed is not None and available is not None else None
        if shortfall is None:
            why = "no hardware or offer is large enough"
        elif shortfall > 0:
            why = f"{compute.size_of(shortfall)} GB short"
        else:
            why = ("it would fit at 4 bits per weight, but vLLM needs a 4-bit build (AWQ or GPTQ) from the publisher "
                   "or an allowlisted quantizer, and none is recorded; vLLM's own FP8 quantization does not fit")
        return construct(DeploymentFacts,
            miss_reason=why,
            status=status, target=target, context_tokens=load.context,
            simultaneous_requests=load.sequences, typical_context_tokens=load.typical,
            needed_gb=compute.size_of(needed) if needed is not None else None,
            available_gb=compute.size_of(available) if available is not None else None,
            shortfall_gb=compute.size_of(shortfall) if shortfall is not None else None,
            suggestion=self.suggest(model), cost_points=0)

    def suggest(self, model: ModelEntry) -> str | None:
        """Hardware in the user's own world that would run the model well: the same class as the
        hardware they have or the next one up, at most about twice the hardware budget (or twice
        the price of what they have); the cheapest such set-up that meets the need."""
        if not self.devices:
            return None
        classes = {d.hardware_class for d in self.devices if d.hardware_class}
        top = max((_class_index(c) for c in classes), default=_class_index("workstation"))
        allowed = CLASS_ORDER[max(0, top):top + 2]
        owned = sum((d.price_eur or 0.0) * (d.count if d.sold_as == "card" else 1) for d in self.devices)
        ceiling = 2 * (self.req.budget.hardware_eur or owned) if (self.req.budget.hardware_eur or owned) else None
        options = [p for p in self.purchase_options(model, classes=allowed, max_price=ceiling, cheapest=True) if p.meets]
        if not options:
            return None
        pick = min(options, key=lambda p: (p.purchase_eur or 0.0, p.quality, p.device.name))
        return pick.device.name

    # -- facts for the rules
    def _facts(self, model: ModelEntry, plan: Plan, target: str) -> DeploymentFacts:
        load = self.load
        budget = self.req.budget.hardware_eur if target == "purchase" else self.req.budget.monthly_eur
        if target == "purchase":
            points = cost_points(plan.purchase_eur or 0, budget, low=2_000, high=400_000)
        elif target == "cloud":
            points = cost_points(plan.monthly_cost_eur, budget, low=300, high=30_000)
        else:
            points = 100.0
        device = plan.device
        offer = plan.offer
        mem = plan.memory
        worst = mem.weights_gb + mem.activations_gb + mem.kv_full_gb * load.sequences
        per_user = plan.speed.per_user
        hw = self.hardware.get(device.hardware_id or "")
        price_date = offer.price_date if offer else (hw.price_date if hw and target == "purchase" else None)
        return construct(DeploymentFacts,
            status="fits",
            target=target,  # type: ignore[arg-type]
            engine=plan.engine,
            quantization=plan.fmt,
            weights_format=plan.fmt,
            weights_repo=plan.artefact.repo,
            weights_by=plan.artefact.by,
            weights_how=plan.artefact.how,
            weights_gb=compute.size_of(mem.weights_gb),
            kv_cache_dtype=plan.kv_dtype,
            kv_cache_gb=compute.size_of(mem.kv_cache_gb),
            low_quantization=plan.fmt in compute.LOW_BITS,
            memory_gb=compute.size_of(mem.total_gb),
            worst_case_gb=compute.size_of(worst),
            available_gb=compute.size_of(plan.usable_gb),
            utilisation_pct=round(100 * plan.utilisation, 1),
            headroom_gb=compute.size_of(plan.usable_gb - mem.total_gb),
            capacity_points=capacity_points(plan.sessions_full, load.sequences),
            tokens_per_s=round(per_user, 1),
            aggregate_tokens_per_s=round(plan.speed.aggregate, 1),
            speed_bound=plan.speed.bound,
            speed_bonus=speed_bonus(per_user, load.need_tokens_per_s),
            quantization_points=QUANTIZATION_POINTS[plan.quality],
            meets_speed=plan.meets,
            slow_points=slow_points(per_user, plan.ttft_s, load.need_tokens_per_s, load.need_ttft_s),
            needed_tokens_per_s=load.need_tokens_per_s,
            needed_ttft_s=load.need_ttft_s,
            answer_seconds=round(400 / per_user, 1),
            time_to_first_token_s=round(plan.ttft_s, 1),
            context_tokens=load.context,
            typical_context_tokens=load.typical,
            simultaneous_requests=load.sequences,
            sessions_at_full_context=plan.sessions_full,
            max_context_tokens=per_model(  # the same on every set-up with this much memory, at this load
                self._memo, ("max_context", model.id, plan.fmt, plan.kv_dtype, plan.usable_gb), model,
                lambda: compute.max_context(model, mem, load.sequences, plan.usable_gb)),
            tensor_parallel=device.count if plan.engine == "vllm" else 1,
            hardware=device.name,
            hardware_name=device.label,
            hosting=offer.id if offer else "on_premises",
            provider=offer.provider if offer else None,
            provider_country=offer.provider_country if offer else None,
            region_country=offer.region_country if offer else None,
            cloud_act=offer.cloud_act if offer else None,
            certifications=list(offer.certifications) if offer else [],
            monthly_cost_eur=plan.monthly_cost_eur,
            cost_basis="own" if target == "owned" else "purchase" if target == "purchase" else "rental_24_7",
            setup_fee_eur=offer.setup_fee_eur if offer else 0,
            minimum_term_months=offer.minimum_term_months if offer else 0,
            price_date=price_date,
            price_stale=self._stale(price_date),
            monthly_equivalent_eur=self.monthly_equivalent(plan) if target == "purchase" else None,
            monthly_equivalent_text=self.monthly_equivalent_text(plan) if target == "purchase" else "",
            purchase_eur=plan.purchase_eur,
            purchase_covers=None if target != "purchase" else (
                f"{device.count} card{'s' if device.count > 1 else ''} and {plan.machine.name}" if plan.machine
                else "the whole machine" if device.sold_as == "machine" or device.kind != "gpu"
                else "the GPU cards only; the computer around them is extra"),
            budget_eur=budget,
            cost_points=round(points, 1),
            text=PlanText(model, plan, load, hw),
        )

    def _stale(self, date: dt.date | None) -> bool:
        return bool(date and self.price_reference and (self.price_reference - date).days > STALE_DAYS)

    def monthly_equivalent(self, plan: Plan) -> float | None:
        """A purchase per month: its price over the amortisation period plus power at the average load."""
        if plan.purchase_eur is None:
            return None
        budget = self.req.budget
        watts = (plan.device.power_w or 0.0) * plan.device.count
        power = watts / 1000 * HOURS_PER_MONTH * AVERAGE_LOAD * budget.electricity_eur_per_kwh
        return round(plan.purchase_eur / budget.amortisation_months + power, 2)

    def monthly_equivalent_text(self, plan: Plan) -> str:
        b = self.req.budget
        power = (f"with power at €{b.electricity_eur_per_kwh:g}/kWh ({AVERAGE_LOAD:.0%} average load)"
                 if plan.device.power_w else "power not included (the catalogue has no power figure for it)")
        return f"about {euros(self.monthly_equivalent(plan))} a month over {b.amortisation_months} months, {power}"



class PlanText:
    """A plan's command, assumptions and sources (:meth:`DeploymentFacts.described`), built when
    first asked for: most plans of a profile are never output. Kept once built, because every rule
    that cites the deployment asks again. It holds what it reads, not the planner (whose tables
    the memo would then keep alive)."""

    __slots__ = ("_model", "_plan", "_load", "_hardware", "_text")

    def __init__(self, model: ModelEntry, plan: Plan, load: Load, hardware: Hardware | None) -> None:
        self._model, self._plan, self._load, self._hardware = model, plan, load, hardware
        self._text: dict[str, Any] | None = None

    def __call__(self) -> dict[str, Any]:
        if self._text is None:
            model, plan, load = self._model, self._plan, self._load
            self._text = {"command": command(model, plan, load), "sources": self._sources(),
                          "assumptions": assumptions(model, plan, load, FORMATS[plan.fmt].source)}
        return self._text

    def _sources(self) -> list[str]:
        plan, hw = self._plan, self._hardware
        urls = [s.url for s in plan.offer.sources] if plan.offer else []
        if hw:
            urls += [s.url for s in hw.sources if s.url not in urls]
        if plan.machine:
            urls += [s.url for s in plan.machine.sources if s.url not in urls]
        return urls


def monthly_cost(offer: HostingOffer) -> float:
    """A GPU offer running all month (730 hours), with a setup fee spread over a year."""
    return round(offer.monthly_eur + offer.setup_fee_eur / 12, 2)


# --------------------------------------------------------------------------- command and assumptions

VLLM_DOCS = "https://docs.vllm.ai/en/latest/models/engine_args.html"
LLAMA_SERVER_DOCS = "https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md"


def command(model: ModelEntry, plan: Plan, load: Load) -> str:
    """One copy-paste command line for the plan's engine (flags as the engines document them)."""
    a = plan.artefact
    if plan.engine == "vllm":
        parts = ["vllm serve", a.repo]
        if a.how == "online":
            parts += ["--quantization fp8"]
        parts += [f"--max-model-len {load.context}"]
        if plan.kv_dtype == "fp8":
            parts += ["--kv-cache-dtype fp8"]
        if plan.device.count > 1:
            parts += [f"--tensor-parallel-size {plan.device.count}"]
        parts += [f"--gpu-memory-utilization {compute.GPU_UTILISATION:.2f}", f"--max-num-seqs {load.sequences}"]
        return " ".join(parts)
    gguf = FORMATS[plan.fmt].gguf_type or "Q4_K_M"
    serve = [f"-c {load.context * load.sequences}", f"-np {load.sequences}"]
    if plan.kv_dtype == "q8_0":
        serve += ["-fa on", "-ctk q8_0", "-ctv q8_0"]
    if plan.device.kind in ("unified", "gpu"):
        serve += ["-ngl 99"]
    if a.how == "convert":
        name = a.repo.split("/")[-1]
        return (f"hf download {a.repo} --local-dir {name} && python convert_hf_to_gguf.py {name} --outtype bf16 "
                f"--outfile {name}-BF16.gguf && llama-quantize {name}-BF16.gguf {name}-{gguf}.gguf {gguf} && "
                f"llama-server -m {name}-{gguf}.gguf " + " ".join(serve))
    return f"llama-server -hf {a.repo}:{gguf} " + " ".join(serve)


def assumptions(model: ModelEntry, plan: Plan, load: Load, format_basis: str) -> list[str]:
    mem = plan.memory
    d = plan.device
    n = load.sequences
    if load.given:
        who = f"{n} request{'s' if n != 1 else ''} at the same moment, as you stated"
    elif load.batch:
        who = f"all {n} profiles send requests at the same moment, as for batch work"
    elif load.users == 1:
        who = "one user, one request at a time"
    else:
        who = f"{n} of your {load.users} users send a request at the same moment (half of them, as for interactive use)"
    share = "the full" if load.typical >= load.context else (
        "half the" if load.typical * 2 == load.context else "a quarter of the" if load.typical * 4 == load.context
        else f"{load.typical / load.context:.0%} of the")
    full = mem.weights_gb + mem.activations_gb + mem.kv_full_gb * n
    out = [
        who,
        f"a typical request holds {load.typical:,} tokens ({share} {load.context:,}-token maximum); "
        f"{plan.sessions_full} request{'s' if plan.sessions_full != 1 else ''} can hold the full {load.context:,} "
        f"tokens at once; " + (f"if all {n} did, they would need {compute.size_of(full)} GB" if n > 1
                               else f"one at the full length needs {compute.size_of(full)} GB"),
    ]
    if plan.engine == "vllm" and d.kind == "gpu":
        out.append(f"vLLM may use {compute.GPU_UTILISATION:.0%} of each GPU's memory less "
                   f"{compute.RUNTIME_GB:g} GB for its runtime: {compute.size_of(plan.usable_gb)} GB in all")
    elif d.kind == "gpu":
        out.append(f"llama.cpp keeps {compute.RUNTIME_GB / 2:g} GB of each GPU for its runtime: "
                   f"{compute.size_of(plan.usable_gb)} GB in all"
                   + (f", the layers split over {d.count} GPUs (memory adds up, speed does not)" if d.count > 1 else ""))
    elif d.kind == "cpu":
        out.append(f"the operating system keeps {compute.OS_RESERVE_GB:g} GB of RAM and "
                   f"{100 - round(100 * d.usable_fraction)} % more: {compute.size_of(d.usable_gb)} GB for the model")
    else:
        out.append(f"the operating system keeps {100 - round(100 * d.usable_fraction)} % of the unified memory: "
                   f"{compute.size_of(d.usable_gb)} GB for the model")
    how = {
        "official": "the publisher's own repository",
        "quantizer": f"a {plan.fmt} build by {plan.artefact.by} (allowlisted quantizer)",
        "online": "vLLM quantizes the official BF16 weights to FP8 when it loads them",
        "convert": "no GGUF build by an allowlisted quantizer is recorded: llama.cpp converts the official weights",
    }[plan.artefact.how]
    out.append(f"weights {plan.fmt} ({format_basis}) from {how}; KV cache in {plan.kv_dtype}")
    if d.count > 1 and plan.engine == "vllm":
        out.append(f"tensor parallelism over {d.count} GPUs ({d.interconnect})")
    if plan.fmt == "FP8" and not d.fp8:
        out.append("this GPU has no FP8 units: vLLM runs the FP8 weights with weight-only kernels (W8A16)")
    out.append(f"about {plan.speed.per_user:.1f} tokens/s per request with {load.sequences} active "
               f"({plan.speed.bound}-bound), first token after about {plan.ttft_s:.1f} s for a typical request; "
               f"the need is {load.need_tokens_per_s:g} tokens/s and {load.need_ttft_s:g} s")
    return out

"""Choosing the best deployment of one model for one set of requirements.

- On premises with hardware given: the highest-quality quantization that fits (each listed
  machine is tried; the best plan wins).
- On premises without hardware: catalogue hardware with a known price (1, 2 or 4 GPUs, or one
  unified-memory / CPU machine). With a hardware budget, the best quantization it buys; without
  one, the cheapest set-up that runs the model at Q4_K_M or better.
- eu_sovereign_cloud / eu_cloud / any: the cheapest hosting offer that meets the mode and
  the certifications and runs the model at Q4_K_M or better, within the monthly budget
  (mode any uses your own hardware first when it fits).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .. import compute
from ..compute import Device, Plan
from ..schema.catalogue import Hardware, HostingOffer, ModelEntry
from ..schema.iso import EEA_MEMBERS
from ..schema.requirements import HardwareRef, Requirements
from .facts import DeploymentFacts

CLOUD_FLOOR = "Q4_K_M"
READING_SPEED = 8.0
"""Tokens per second per user that keeps pace with reading (about 6 words a second)."""
PURCHASE_COUNTS = (1, 2, 4)


def devices_from(req: Requirements, hardware: dict[str, Hardware]) -> list[Device]:
    devices = []
    for spec in req.hosting.hardware:
        if isinstance(spec, HardwareRef):
            devices.append(Device.from_hardware(hardware[spec.accelerator], spec.count))
        else:
            devices.append(Device(spec.name, spec.kind, spec.memory_gb, spec.bandwidth_gbps, spec.count,
                                  compute.INLINE_USABLE_FRACTION[spec.kind]))
    return devices


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


def headroom_points(utilisation: float) -> float:
    if utilisation <= 0.7:
        return 100.0
    return max(0.0, 100 - (min(utilisation, 1.0) - 0.7) / 0.3 * 60)


def cost_points(cost: float, budget: float | None, *, low: float, high: float) -> float:
    """100 when free; within a budget, 100 falling to 40 at the full budget; without a
    budget, logarithmic between ``low`` (100) and ``high`` (0) euros."""
    if cost <= 0:
        return 100.0
    if budget:
        return max(0.0, 100 - 60 * cost / budget)
    return 100 - compute.log_points(cost, low, high)


def _facts(model: ModelEntry, plan: Plan, req: Requirements, target: str, *, budget: float | None,
           sources: list[str]) -> DeploymentFacts:
    context = req.use_case.context_tokens
    users = req.use_case.concurrent_users
    per_user = plan.speed.per_user
    offer = plan.offer
    if target == "purchase":
        points = cost_points(plan.purchase_eur or 0, budget, low=2_000, high=400_000)
    elif target == "cloud":
        points = cost_points(plan.monthly_cost_eur, budget, low=300, high=30_000)
    else:
        points = 100.0
    max_ctx = compute.max_context(model, plan.quantization, users, plan.device)
    return DeploymentFacts.model_construct(
        status="fits",
        target=target,  # type: ignore[arg-type]
        quantization=plan.quantization,
        low_quantization=plan.quantization in compute.LOW_QUANT,
        memory_gb=compute.size_of(plan.memory.total_gb),
        available_gb=compute.size_of(plan.device.usable_gb),
        utilisation_pct=round(100 * plan.utilisation, 1),
        headroom_gb=compute.size_of(plan.device.usable_gb - plan.memory.total_gb),
        headroom_points=round(headroom_points(plan.utilisation), 1),
        tokens_per_s=round(per_user, 1),
        aggregate_tokens_per_s=round(plan.speed.aggregate, 1),
        speed_points=round(compute.log_points(per_user, 2, 30), 1),
        answer_seconds=round(400 / per_user, 1),
        context_tokens=context,
        max_context_tokens=max_ctx,
        kv_known=plan.memory.kv_known,
        hardware=plan.device.name,
        hardware_name=plan.device.label,
        hosting=offer.id if offer else "on_premises",
        provider=offer.provider if offer else None,
        provider_country=offer.provider_country if offer else None,
        region_country=offer.region_country if offer else None,
        cloud_act=offer.cloud_act if offer else None,
        certifications=list(offer.certifications) if offer else [],
        monthly_cost_eur=plan.monthly_cost_eur,
        purchase_eur=plan.purchase_eur,
        purchase_covers=None if target != "purchase" else (
            "the GPU cards only; the server or workstation around them is extra" if plan.device.kind == "gpu"
            else "the whole machine"),
        budget_eur=budget,
        cost_points=round(points, 1),
        sources=sources,
    )


class Planner:
    """Plans deployments for one set of requirements; reused across the catalogue."""

    def __init__(self, req: Requirements, hardware: dict[str, Hardware], offers: Sequence[HostingOffer]):
        self.req = req
        self.hardware = hardware
        self.devices = devices_from(req, hardware)
        self.offers = eligible_offers(req, offers)
        self.context = req.use_case.context_tokens
        self.users = req.use_case.concurrent_users
        self._offer_devices = sorted(((o, Device.from_hardware(hardware[o.accelerator], o.count or 1))
                                      for o in self.offers if o.accelerator is not None),
                                     key=lambda od: (od[0].monthly_eur, od[0].id))
        self._memo: dict[tuple[str, int], float | None] = {}
        self._gpu_setups = sorted(
            (Device.from_hardware(hw, count) for hw in hardware.values() if hw.kind == "gpu" for count in (1, 2, 4, 8)),
            key=lambda d: (d.usable_gb, d.name))

    # -- the entry point
    def plan(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        self._memo = {}  # memory needs are per model
        if model.missing_facts or model.not_rankable:  # never sized on a guess
            return DeploymentFacts.model_construct(status="incomplete", context_tokens=self.context), None
        mode = self.req.hosting.mode
        if mode == "on_premises":
            return self._owned(model) if self.devices else self._purchase(model)
        if mode == "any" and self.devices:
            facts, plan = self._owned(model)
            if plan is not None:
                return facts, plan
            cloud_facts, cloud_plan = self._cloud(model)
            if cloud_plan is not None:
                return cloud_facts, cloud_plan
            return facts, None
        return self._cloud(model)

    def _total(self, model: ModelEntry, quant: str, count: int) -> float | None:
        """Memory need in GB, memoised per model (many devices share a device count)."""
        key = (quant, count)
        if key not in self._memo:
            m = compute.estimate_memory(model, quant, self.context, self.users, devices=count)
            self._memo[key] = None if m is None else m.total_gb
        return self._memo[key]

    def _fit(self, model: ModelEntry, device: Device, floor: str | None = None) -> str | None:
        """The best quantization on the ladder that fits ``device`` (down to ``floor``)."""
        ladder = compute.ladder_for(model)
        if floor is not None and floor in ladder:
            ladder = ladder[: ladder.index(floor) + 1]
        for quant in ladder:
            total = self._total(model, quant, device.count)
            if total is None:
                return None
            if total <= device.usable_gb:
                return quant
        return None

    def _plan(self, model: ModelEntry, device: Device, quant: str, **extra: object) -> Plan:
        memory = compute.estimate_memory(model, quant, self.context, self.users, devices=device.count)
        speed = compute.decode_speed(model, quant, self.context, self.users, device)
        assert memory is not None and speed is not None
        return Plan(quant, memory, device, speed, **extra)  # type: ignore[arg-type]

    def _miss(self, model: ModelEntry, status: str, available: float | None, *,
              target: str | None, cheapest: DeploymentFacts | None = None) -> DeploymentFacts:
        need = compute.smallest_need(model, self.context, self.users)
        needed = need.total_gb if need else None
        shortfall = max(0.0, needed - available) if needed is not None and available is not None else None
        base = dict(cheapest.__dict__) if cheapest is not None else {}
        base.update(
            status=status, target=target, context_tokens=self.context,
            needed_gb=compute.size_of(needed) if needed is not None else None,
            available_gb=compute.size_of(available) if available is not None else base.get("available_gb"),
            shortfall_gb=compute.size_of(shortfall) if shortfall is not None else None,
            suggestion=self.suggest(model),
            kv_known=need.kv_known if need else True,
        )
        if cheapest is None:
            base.update(cost_points=0, headroom_points=0, speed_points=0)
        return DeploymentFacts.model_construct(**base)

    def _owned(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        plans = [self._plan(model, d, q) for d in self.devices if (q := self._fit(model, d)) is not None]
        if not plans:
            largest = max(d.usable_gb for d in self.devices)
            return self._miss(model, "too_big", largest, target="owned"), None
        ladder = compute.ladder_for(model)
        best = min(plans, key=lambda p: (ladder.index(p.quantization), -p.speed.per_user))
        return _facts(model, best, self.req, "owned", budget=None, sources=self._hw_sources(best.device)), best

    def _purchase(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        """Hardware to buy (only what is still sold new and has a price). With a hardware budget:
        a set-up that writes at least READING_SPEED tokens/s per user if the budget allows one,
        then the best quantization, avoiding set-ups filled beyond 90 %, then the cheapest;
        without a budget: the cheapest set-up that runs the model at Q4_K_M or better."""
        budget = self.req.budget.hardware_eur
        ladder = compute.ladder_for(model)
        options: list[tuple[float, int, bool, str, Device, str, bool]] = []
        for hw in self.hardware.values():
            if hw.price_eur is None or hw.available_new is False:
                continue
            for count in PURCHASE_COUNTS if hw.kind == "gpu" else (1,):
                device = Device.from_hardware(hw, count)
                quant = self._fit(model, device, floor=CLOUD_FLOOR)
                if quant is None:
                    continue
                full = (self._total(model, quant, count) or 0) > 0.9 * device.usable_gb
                speed = compute.decode_speed(model, quant, self.context, self.users, device)
                slow = speed is None or speed.per_user < READING_SPEED
                options.append((round(hw.price_eur * count, 2), ladder.index(quant), full, device.name, device,
                                quant, slow))
        if not options:
            return self._miss(model, "too_big", None, target="purchase"), None
        options.sort(key=lambda o: (o[0], o[1], o[3]))
        within = [o for o in options if budget is None or o[0] <= budget]
        if budget is not None:
            within.sort(key=lambda o: (o[6], o[1], o[2], o[0], o[3]))
        price, _, _, _, device, quant, _ = within[0] if within else options[0]
        plan = self._plan(model, device, quant, purchase_eur=price)
        facts = _facts(model, plan, self.req, "purchase", budget=budget, sources=self._hw_sources(device))
        if within:
            return facts, plan
        over = round(price - (budget or 0), 2)
        return facts.model_copy(update={"status": "over_budget", "over_budget_eur": over, "cost_points": 0}), None

    def _cloud(self, model: ModelEntry) -> tuple[DeploymentFacts, Plan | None]:
        if not self.offers:
            return DeploymentFacts.model_construct(status="no_offer", target="cloud", context_tokens=self.context,
                                                   suggestion=self.suggest(model)), None
        budget = self.req.budget.monthly_eur
        ladder = compute.ladder_for(model)
        options: list[tuple[float, int, str, HostingOffer, Device, str]] = []
        for offer, device in self._offer_devices:  # cheapest first: stop after the first price that fits
            if options and offer.monthly_eur > options[0][0]:
                break
            quant = self._fit(model, device, floor=CLOUD_FLOOR)
            if quant is not None:
                options.append((offer.monthly_eur, ladder.index(quant), offer.id, offer, device, quant))
        if not options:
            largest = max(d.usable_gb for _, d in self._offer_devices)
            return self._miss(model, "too_big", largest, target="cloud"), None
        options.sort(key=lambda o: (o[0], o[1], o[2]))
        within = [o for o in options if budget is None or o[0] <= budget]
        monthly, _, _, offer, device, quant = within[0] if within else options[0]
        pick = self._plan(model, device, quant, offer=offer, monthly_cost_eur=monthly)
        facts = _facts(model, pick, self.req, "cloud", budget=budget, sources=self._offer_sources(pick))
        if within:
            return facts, pick
        over = round(monthly - (budget or 0), 2)
        return facts.model_copy(update={"status": "over_budget", "over_budget_eur": over, "cost_points": 0}), None

    def _hw_sources(self, device: Device) -> list[str]:
        hw = self.hardware.get(device.hardware_id or "")
        return [s.url for s in hw.sources] if hw else []

    def _offer_sources(self, plan: Plan) -> list[str]:
        urls = [s.url for s in plan.offer.sources] if plan.offer else []
        return urls + [u for u in self._hw_sources(plan.device) if u not in urls]

    def suggest(self, model: ModelEntry) -> str | None:
        """The smallest catalogue GPU set-up (by memory) that runs the model at Q4_K_M or better."""
        ladder = compute.ladder_for(model)
        quant = CLOUD_FLOOR if CLOUD_FLOOR in ladder else ladder[-1]
        for device in self._gpu_setups:
            need = self._total(model, quant, device.count)
            if need is None:
                return None
            if need <= device.usable_gb:
                return device.name
        return None

"""``advisor estimate``: memory, and with hardware also fit and speed, for one model.

All sizes in GB = 10^9 bytes.
"""

from __future__ import annotations

from typing import Any

from . import compute
from .catalogue import Catalogue
from .compute import Device
from .errors import AdvisorError, Problem
from .schema.catalogue import ModelEntry
from .schema.paths import did_you_mean


MAX_DEVICES = 64
"""As in the requirements schema (hosting.hardware[].count)."""


def parse_hardware(spec: str, catalogue: Catalogue) -> Device:
    """'nvidia-l40s' or 'nvidia-l40s:2' -> Device."""
    ident, _, count_text = spec.partition(":")
    if ident not in catalogue.hardware:
        raise AdvisorError([Problem(f"unknown hardware {ident!r}{did_you_mean(ident, catalogue.hardware)}",
                                    field="--hardware")])
    count = 1
    if count_text:
        try:
            count = int(count_text)
        except ValueError:
            count = 0
        if count < 1 or count > MAX_DEVICES:
            raise AdvisorError([Problem(f"{count_text!r} is not a whole number of devices from 1 to {MAX_DEVICES}",
                                        field="--hardware")])
    return Device.from_hardware(catalogue.hardware[ident], count)


def check_quant(quant: str) -> str:
    name = quant.upper() if quant.upper() in compute.QUANTIZATIONS else quant
    if name not in compute.QUANTIZATIONS:
        raise AdvisorError([Problem(f"unknown quantization {quant!r}{did_you_mean(quant, compute.QUANTIZATIONS)}; "
                                    f"known: {', '.join(compute.QUANTIZATIONS)}", field="--quant")])
    return name


def estimate(model: ModelEntry, *, quant: str | None = None, context: int = 8192, users: int = 1,
             device: Device | None = None, kv_cache: str = "f16") -> dict[str, Any]:
    """The estimate as a JSON-ready mapping (keys of the ``advisor estimate --format json`` contract)."""
    if context < 1 or users < 1:
        raise AdvisorError([Problem("context and users must be at least 1", field="--context/--users")])
    if model.params_total_b is None:
        raise AdvisorError([Problem(f"the parameter count of {model.id} is not confirmed in the catalogue, so it "
                                    "cannot be sized", field="model")])
    notes = []
    if quant is not None:
        quant = check_quant(quant)
    elif device is not None:
        plan = compute.best_quantization(model, device, context, users, kv_cache)
        quant = plan.quantization if plan else compute.ladder_for(model)[-1]
        if plan is None:
            notes.append("nothing on advisor's quantization ladder fits; showing the smallest")
    else:
        quant = compute.ladder_for(model)[0]
    devices = device.count if device else 1
    memory = compute.estimate_memory(model, quant, context, users, kv_cache, devices)
    assert memory is not None
    if not memory.kv_known:
        notes.append("the catalogue lacks the architecture needed for the KV cache; kv_cache_gb is 0 and the "
                     "total is a lower bound")
    if context > (model.context_length or context):
        notes.append(f"{model.id} supports at most {model.context_length:,} tokens of context")
    result: dict[str, Any] = {
        "model": model.id,
        "quantization": quant,
        "context_tokens": context,
        "concurrent_users": users,
        "weights_gb": round(memory.weights_gb, 3),
        "kv_cache_gb": round(memory.kv_cache_gb, 3),
        "overhead_gb": round(memory.overhead_gb, 3),
        "total_gb": round(memory.total_gb, 3),
        "kv_cache": kv_cache,
        "kv_cache_known": memory.kv_known,
        "bits_per_weight": compute.QUANTIZATIONS[quant].bits_per_weight,
        "units": "GB = 10^9 bytes",
    }
    if device is not None:
        speed = compute.decode_speed(model, quant, context, users, device, kv_cache)
        assert speed is not None
        result.update(
            hardware=device.name,
            available_gb=round(device.usable_gb, 2),
            fits=memory.total_gb <= device.usable_gb,
            tokens_per_s=round(speed.per_user, 1),
            aggregate_tokens_per_s=round(speed.aggregate, 1),
            max_context_tokens=compute.max_context(model, quant, users, device, kv_cache),
        )
    result["notes"] = notes
    return result

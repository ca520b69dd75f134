"""``advisor estimate``: memory, speed and fit of one model, one format or the whole ladder."""

from __future__ import annotations

from typing import Any

from . import compute
from .catalogue import Catalogue
from .compute import FORMATS, Device
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


def check_format(name: str) -> str:
    """A weight format by its id or GGUF type (Q4_K_M = GGUF Q4_K_M), case-insensitive."""
    by_upper = {k.upper(): k for k in FORMATS} | {k.upper(): v for k, v in compute.ALIASES.items()}
    found = by_upper.get(name.strip().upper())
    if found is None:
        raise AdvisorError([Problem(f"unknown weight format {name!r}{did_you_mean(name, FORMATS)}; "
                                    f"known: {', '.join(FORMATS)}", field="--quant")])
    return found


def ladder(model: ModelEntry, engine: str) -> tuple[str, ...]:
    return compute.gpu_formats(model) if engine == "vllm" else compute.gguf_formats(model)


def row(model: ModelEntry, fmt: str, context: int, users: int, kv_cache: str, device: Device | None) -> dict[str, Any]:
    """One format: memory with ``users`` simultaneous requests each holding ``context`` tokens."""
    mem = compute.memory(model, fmt, context=context, typical=context, sequences=users, kv_dtype=kv_cache)
    assert mem is not None
    out: dict[str, Any] = {
        "weights_format": fmt, "bits_per_weight": FORMATS[fmt].bits, "weights_gb": round(mem.weights_gb, 3),
        "kv_cache_gb": round(mem.kv_cache_gb, 3), "overhead_gb": round(mem.activations_gb, 3),
        "total_gb": round(mem.total_gb, 3),
    }
    if device is not None:
        speed = compute.decode_speed(model, fmt, context, users, device, kv_cache)
        assert speed is not None
        out.update(
            fits=mem.total_gb <= device.usable_gb,
            tokens_per_s=round(speed.per_user, 1),
            aggregate_tokens_per_s=round(speed.aggregate, 1),
            speed_bound=speed.bound,
            time_to_first_token_s=round(compute.prefill_seconds(model, fmt, context, device), 2),
            sessions_at_full_context=compute.sessions_at_full_context(model, mem, device.usable_gb),
            max_context_tokens=compute.max_context(model, mem, users, device.usable_gb),
        )
    return out


def estimate(model: ModelEntry, *, quant: str | None = None, context: int = 8192, users: int = 1,
             device: Device | None = None, kv_cache: str = "fp16", engine: str | None = None,
             with_ladder: bool = False) -> dict[str, Any]:
    """The estimate as a JSON-ready mapping (keys of the ``advisor estimate --format json`` contract)."""
    if model.missing_facts or model.not_rankable:
        raise AdvisorError([Problem(f"the catalogue record of {model.id} is incomplete "
                                    f"({model.not_rankable or ', '.join(model.missing_facts)}), so it cannot be sized",
                                    field="model")])
    if engine is None and quant is not None:
        engine = FORMATS[check_format(quant)].engine
    engine = engine or (device.engine if device is not None else "vllm")
    if engine not in ("vllm", "llama.cpp"):
        raise AdvisorError([Problem(f"unknown engine {engine!r}; use vllm or llama.cpp", field="--engine")])
    if kv_cache == "f16":
        kv_cache = "fp16"
    notes = []
    formats = ladder(model, engine)
    if quant is not None:
        fmt = check_format(quant)
        if FORMATS[fmt].engine != engine:
            raise AdvisorError([Problem(f"{fmt} does not run on {engine}; {engine} runs {', '.join(formats)}",
                                        field="--quant")])
    elif device is not None:
        fitting = [f for f in formats if row(model, f, context, users, kv_cache, device).get("fits")]
        fmt = fitting[0] if fitting else formats[-1]
        if not fitting:
            notes.append("no format fits; showing the most compressed")
    else:
        fmt = formats[0]
    if context > (model.context_length or context):
        notes.append(f"{model.id} supports at most {model.context_length:,} tokens of context")
    first = row(model, fmt, context, users, kv_cache, device)
    result: dict[str, Any] = {
        "model": model.id,
        "engine": engine,
        "quantization": fmt,
        "weights_format": fmt,
        "context_tokens": context,
        "concurrent_users": users,
        "weights_gb": first["weights_gb"],
        "kv_cache_gb": first["kv_cache_gb"],
        "overhead_gb": first["overhead_gb"],
        "total_gb": first["total_gb"],
        "kv_cache": kv_cache,
        "kv_cache_known": True,
        "bits_per_weight": first["bits_per_weight"],
        "units": "GB = 10^9 bytes",
    }
    if device is not None:
        result.update(hardware=device.name, available_gb=round(device.usable_gb, 2),
                      **{k: first[k] for k in ("fits", "tokens_per_s", "aggregate_tokens_per_s", "speed_bound",
                                                "time_to_first_token_s", "sessions_at_full_context",
                                                "max_context_tokens")})
    if with_ladder:
        result["ladder"] = [row(model, f, context, users, kv_cache, device) for f in formats]
    result["notes"] = notes
    return result

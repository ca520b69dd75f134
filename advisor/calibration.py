"""Decode-speed estimates beside published measurements (tests/data/measurements.yaml).

Each measurement names a catalogue model and hardware item, the engine, weights format, KV-cache
type, concurrency and context; :func:`compare` re-estimates it with :func:`compute.decode_speed`
and returns measured / estimated. The test suite holds the median and every single ratio within
bounds, and ``benchmarks/estimates.py`` prints the table, so a change to the speed model that
drifts from reality shows up as numbers.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import compute
from .catalogue import Catalogue
from .compute import Device
from .documents import load_document

#: Measurement formats advisor has no exact twin for, mapped to the nearest format of the same
#: bits per weight (MLX 4-bit groups carry about 4.5 bits, Unsloth's dynamic quants mix types
#: around their base type).
FORMAT_ALIASES = {
    "FP16": "BF16", "GGUF F16": "GGUF BF16", "MLX-BF16": "GGUF BF16", "MLX-8bit": "GGUF Q8_0",
    "MLX-4bit": "GGUF Q4_K_M", "GGUF UD-Q4_K_XL": "GGUF Q4_K_M", "GGUF UD-Q5_K_XL": "GGUF Q5_K_M",
    "GGUF UD-Q8_K_XL": "GGUF Q8_0", "AutoRound-INT4": "GPTQ-INT4",
    "MLX MXFP4 (experts) + 8-bit": "MXFP4",
}


@dataclass(frozen=True)
class Comparison:
    id: str
    engine: str
    device_kind: str
    weights_format: str
    concurrency: int
    estimated: float
    measured: float
    moe: bool

    @property
    def ratio(self) -> float:
        """Measured / estimated tokens per second per sequence (above 1: the estimate is cautious)."""
        return self.measured / self.estimated


def load(path: Path) -> list[dict[str, Any]]:
    data, _ = load_document(path)
    return list(data["measurements"])


def compare(catalogue: Catalogue, measurements: list[dict[str, Any]]) -> tuple[list[Comparison], list[str]]:
    """Every measurement advisor can re-estimate, and the ids it skipped with the reason."""
    rows, skipped = [], []
    for m in measurements:
        fmt = FORMAT_ALIASES.get(m["weights_format"], m["weights_format"])
        model, hardware = catalogue.models.get(m["model"]), catalogue.hardware.get(m["device"])
        if model is None or hardware is None:
            skipped.append(f"{m['id']}: {'model' if model is None else 'device'} not in the catalogue")
            continue
        if fmt not in compute.FORMATS:
            skipped.append(f"{m['id']}: no twin for format {m['weights_format']}")
            continue
        device = Device.from_hardware(hardware, m.get("device_count") or 1)
        context = max(16, (m.get("prompt_tokens") or 0) + (m.get("output_tokens") or 128) // 2)
        kv = m.get("kv_cache_dtype") if m.get("kv_cache_dtype") in compute.KV_BYTES else "fp16"
        engine = m["engine"] if m["engine"] in compute.STEP_OVERHEAD_S else None
        speed = compute.decode_speed(model, fmt, context, m.get("concurrency") or 1, device, kv, engine)
        if speed is None:
            skipped.append(f"{m['id']}: the catalogue entry lacks the architecture")
            continue
        rows.append(Comparison(m["id"], m["engine"], device.kind, fmt, m.get("concurrency") or 1,
                               speed.per_user, float(m["tokens_per_s"]), model.is_moe))
    return rows, skipped


def compare_prefill(catalogue: Catalogue, measurements: list[dict[str, Any]]) -> tuple[list[Comparison], list[str]]:
    """Prompt-processing speed (tokens/s for one prompt) against the prefill measurements."""
    from dataclasses import replace

    rows, skipped = [], []
    for m in measurements:
        fmt = FORMAT_ALIASES.get(m["weights_format"], m["weights_format"])
        model, hardware = catalogue.models.get(m["model"]), catalogue.hardware.get(m["device"])
        if model is None or hardware is None or fmt not in compute.FORMATS:
            skipped.append(f"{m['id']}: model, device or format not in the catalogue")
            continue
        device = Device.from_hardware(hardware, m.get("device_count") or 1)
        if m["engine"] == "llama.cpp" and device.count > 1:
            device = replace(device, split_layers=True)
        tokens = m["prompt_tokens"]
        estimated = tokens / compute.prefill_seconds(model, fmt, tokens, device)
        rows.append(Comparison(m["id"], m["engine"], device.kind, fmt, 1, estimated,
                               float(m["prompt_tokens_per_s"]), model.is_moe))
    return rows, skipped


def median_ratio(rows: list[Comparison], **where: object) -> float | None:
    """Median measured/estimated ratio of the rows whose attributes equal ``where``."""
    ratios = [r.ratio for r in rows if all(getattr(r, k) == v for k, v in where.items())]
    return statistics.median(ratios) if ratios else None

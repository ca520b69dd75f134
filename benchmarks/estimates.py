"""advisor's memory and speed estimates beside the figures they must reproduce.

1. Memory: llama.cpp's quantize table, the KV-cache formula and the DeepSeek-V3 MLA config
   (../shared/domain/estimation.md); each must be within its tolerance.
2. Decode speed: every published measurement in tests/data/measurements.yaml re-estimated, as
   measured / estimated, beside a naive roofline baseline computed in the same run (memory
   bandwidth / weight bytes, no efficiency, overhead or KV cache).

Exits 1 if a memory figure is off by more than its tolerance, the median speed ratio leaves
0.8-1.25 or a single measurement leaves 0.5-2.0.

usage: python benchmarks/estimates.py [--all]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import advisor
from advisor import calibration, compute
from advisor.schema.catalogue import ModelEntry

BASE = dict(name="x", hf_repo="a/b", publisher="p", licence="l", hf_licence="x", family="f", variant="instruct",
            release="2024-07", modalities=["text"], tasks=["chat"], openness={"weights": "open"},
            sources=[{"url": "https://example.org", "retrieved": "2026-11-27"}], reviewed="2026-11-27")


def model(**kw: object) -> ModelEntry:
    return ModelEntry.model_validate({**BASE, "id": "m", **kw})


def main() -> int:
    cat = advisor.load_catalogue()
    llama8 = cat.models["llama-3.1-8b-instruct"].model_copy(update={"params_total_b": 8.03})
    qwen72 = model(params_total_b=72.7, architecture={"num_hidden_layers": 80, "num_key_value_heads": 8,
                                                      "head_dim": 128})
    v3 = cat.models["deepseek-v3"]
    mixtral = cat.models["mixtral-8x7b-instruct-v0.1"]
    rows = [
        ("Llama-3.1-8B KV, 8,192 tokens, f16 (GB)", compute.kv_cache_gb(llama8, 8192), 1.074, 0.001),
        ("Llama-3.1-8B weights Q4_K_M (GB)", compute.weights_gb(llama8, "GGUF Q4_K_M"), 4.91, 0.01),
        ("Llama-3.1-8B weights Q8_0 (GB)", compute.weights_gb(llama8, "GGUF Q8_0"), 8.03 * 8.5008 / 8, 0.01),
        ("Qwen2.5-72B KV, 32,768 tokens, f16 (GB)", compute.kv_cache_gb(qwen72, 32768), 10.74, 0.01),
        ("DeepSeek-V3 MLA KV, 8,192 tokens (GB)", compute.kv_cache_gb(v3, 8192), 0.58, 0.01),
        ("Mixtral 8x7B weights Q4_K_M (GB), from total params", compute.weights_gb(mixtral, "GGUF Q4_K_M"),
         (mixtral.params_total_b or 0) * 4.8944 / 8, 0.01),
    ]
    bad = 0
    print(f"{'estimate':62} {'advisor':>9} {'reference':>10}  ok")
    for label, ours, ref, tol in rows:
        ok = ours is not None and abs(ours - ref) <= tol
        bad += not ok
        print(f"{label:62} {ours:9.3f} {ref:10.3f}  {'yes' if ok else 'NO'}")
    bad += speed_table(cat, "--all" in sys.argv)
    return 1 if bad else 0


def naive(cat: advisor.Catalogue, m: dict) -> float | None:
    """Baseline: memory bandwidth / weight bytes, nothing else (the usual back-of-envelope)."""
    fmt = calibration.FORMAT_ALIASES.get(m["weights_format"], m["weights_format"])
    weights = compute.weight_bytes_read(cat.models[m["model"]], fmt, m.get("concurrency") or 1)
    hw = cat.hardware[m["device"]]
    return hw.bandwidth_gbps * compute.GB * (m.get("device_count") or 1) / weights if weights else None


def speed_table(cat: advisor.Catalogue, show_all: bool) -> int:
    measurements = calibration.load(Path(__file__).resolve().parents[1] / "tests" / "data" / "measurements.yaml")
    rows, skipped = calibration.compare(cat, measurements)
    by_id = {m["id"]: m for m in measurements}
    baseline = {r.id: r.measured / b for r in rows if (b := naive(cat, by_id[r.id]))}
    print(f"\nDecode speed, measured / estimated, {len(rows)} measurements ({len(skipped)} skipped: "
          "model or device not in the catalogue, or no twin format)")
    print(f"{'group':28} {'n':>3} {'advisor':>8} {'roofline':>9}")
    groups = [("all", {})] + [(k, {"device_kind": k}) for k in ("gpu", "unified", "cpu")] + [
        (e, {"engine": e}) for e in ("vllm", "llama.cpp", "mlx", "sglang", "ollama")] + [
        ("MoE", {"moe": True}), ("dense", {"moe": False})]
    for label, where in groups:
        sub = [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]
        if sub:
            print(f"{label:28} {len(sub):3} {statistics.median(r.ratio for r in sub):8.2f} "
                  f"{statistics.median(baseline[r.id] for r in sub if r.id in baseline):9.2f}")
    ordered = sorted(rows, key=lambda r: r.ratio)
    shown = ordered if show_all else ordered[:5] + ordered[-5:]
    print(f"\n{'measurement':44} {'engine':9} {'format':12} {'c':>3} {'est':>7} {'meas':>7} {'ratio':>6}")
    for r in shown:
        print(f"{r.id[:44]:44} {r.engine:9} {r.weights_format[:12]:12} {r.concurrency:3} {r.estimated:7.1f} "
              f"{r.measured:7.1f} {r.ratio:6.2f}")
    median = calibration.median_ratio(rows) or 0.0
    outside = [r for r in rows if not 0.5 <= r.ratio <= 2.0]
    print(f"\nmedian {median:.2f} (target 0.8-1.25), {len(outside)} outside 0.5-2.0; "
          f"efficiency GPU {compute.BANDWIDTH_EFFICIENCY['gpu']}, unified {compute.BANDWIDTH_EFFICIENCY['unified']}, "
          f"CPU {compute.BANDWIDTH_EFFICIENCY['cpu']}, step {compute.STEP_OVERHEAD_S['vllm'] * 1000:g} ms "
          f"+ {compute.SEQUENCE_OVERHEAD_S * 1000:g} ms per sequence")
    prefill, _ = calibration.compare_prefill(cat, calibration.load(
        Path(__file__).resolve().parents[1] / "tests" / "data" / "prefill-measurements.yaml"))
    print(f"\nPrefill (prompt tokens/s), measured / estimated, {len(prefill)} measurements")
    for label, where in [("all", {})] + [(k, {"device_kind": k}) for k in ("gpu", "unified", "cpu")]:
        sub = [r for r in prefill if all(getattr(r, k) == v for k, v in where.items())]
        if sub:
            print(f"{label:28} {len(sub):3} {statistics.median(r.ratio for r in sub):8.2f}")
    return int(not 0.8 <= median <= 1.25) + len(outside)


if __name__ == "__main__":
    raise SystemExit(main())

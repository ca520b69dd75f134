"""advisor's memory and speed estimates beside the reference figures they must reproduce
(../shared/domain/estimation.md: llama.cpp's quantize table, the KV-cache formula, the
DeepSeek-V3 MLA config, the RTX 4090 roofline example). Prints a table; exits 1 if any
estimate is off by more than its tolerance.

usage: python benchmarks/estimates.py
"""

from __future__ import annotations

import advisor
from advisor import compute
from advisor.compute import Device
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
    rtx4090 = Device("RTX 4090", "gpu", 24, 1008)
    rows = [
        ("Llama-3.1-8B KV, 8,192 tokens, f16 (GB)", compute.kv_cache_gb(llama8, 8192), 1.074, 0.001),
        ("Llama-3.1-8B weights Q4_K_M (GB)", compute.weights_gb(llama8, "Q4_K_M"), 4.91, 0.01),
        ("Llama-3.1-8B weights Q8_0 (GB)", compute.weights_gb(llama8, "Q8_0"), 8.03 * 8.5008 / 8, 0.01),
        ("Qwen2.5-72B KV, 32,768 tokens, f16 (GB)", compute.kv_cache_gb(qwen72, 32768), 10.74, 0.01),
        ("DeepSeek-V3 MLA KV, 8,192 tokens (GB)", compute.kv_cache_gb(v3, 8192), 0.58, 0.01),
        ("Mixtral 8x7B weights Q4_K_M (GB), from total params", compute.weights_gb(mixtral, "Q4_K_M"),
         (mixtral.params_total_b or 0) * 4.8944 / 8, 0.01),
        ("Llama-3.1-8B Q4_K_M on RTX 4090, 8K, tok/s (roofline x 0.55)",
         compute.decode_speed(llama8, "Q4_K_M", 8192, 1, rtx4090).per_user, 93.0, 1.5),
    ]
    bad = 0
    print(f"{'estimate':62} {'advisor':>9} {'reference':>10}  ok")
    for label, ours, ref, tol in rows:
        ok = ours is not None and abs(ours - ref) <= tol
        bad += not ok
        print(f"{label:62} {ours:9.3f} {ref:10.3f}  {'yes' if ok else 'NO'}")
    print(f"\nEfficiency constants: GPU {compute.GPU_EFFICIENCY}, unified {compute.UNIFIED_EFFICIENCY}, "
          f"CPU {compute.CPU_EFFICIENCY}, tensor parallel {compute.TENSOR_PARALLEL_EFFICIENCY}/extra device; "
          f"overhead {compute.OVERHEAD_PER_DEVICE_GB} GB/device + {compute.ACTIVATION_FRACTION:.0%} of weights+KV")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

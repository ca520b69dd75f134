"""Memory, speed and cost estimation: pure functions, no I/O.

All sizes are GB = 10^9 bytes.

Memory = weights + KV cache + overhead
  weights   = total parameters x bits per weight / 8           (MoE: all experts are resident)
  KV cache  = bytes per token x context x concurrent sequences
              standard / GQA: 2 (K and V) x layers x KV heads x head_dim x bytes per element;
              sliding-window layers hold at most `window` tokens; hybrid models count only
              their full-attention layers; MLA (DeepSeek-V3/R1) caches one latent of
              kv_lora_rank + qk_rope_head_dim elements per layer, with no factor 2.
  overhead  = OVERHEAD_PER_DEVICE_GB per device (runtime, CUDA context, buffers)
              + ACTIVATION_FRACTION x (weights + KV cache) (activations, fragmentation).

Decode speed is memory-bound: every generated token reads the active weights once per
batch step plus each sequence's KV cache.
  step time  = (weight bytes read per step + users x KV bytes per sequence) / (bandwidth x efficiency)
  per user   = 1 / step time;  aggregate = users / step time
MoE models read only the routed experts; with several users in a batch the expected share of
distinct experts read per step grows as 1 - (1 - k/E)^users.

Efficiency constants (documented assumptions, see README "How compute is estimated"):
  GPU_EFFICIENCY 0.55        llmfit's calibrated bandwidth efficiency for discrete GPUs
                             (median estimated/measured 0.87 over 152 measurements).
  UNIFIED_EFFICIENCY 0.45    0.55 x 0.82, whichllm's Apple-vs-NVIDIA backend factor.
  CPU_EFFICIENCY 0.40        CPU decoding reaches well below the theoretical DRAM
                             bandwidth (memory controllers, compute per token); conservative.
  TENSOR_PARALLEL_EFFICIENCY 0.90 per extra device, llmfit's tensor-parallel factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .schema.catalogue import Hardware, HostingOffer, ModelEntry

GB = 1e9
OVERHEAD_PER_DEVICE_GB = 0.5
ACTIVATION_FRACTION = 0.05
GPU_EFFICIENCY = 0.55
UNIFIED_EFFICIENCY = 0.45
CPU_EFFICIENCY = 0.40
TENSOR_PARALLEL_EFFICIENCY = 0.90
#: Default share of memory a model may use when hardware is described by hand.
INLINE_USABLE_FRACTION = {"gpu": 1.0, "cpu": 0.9, "unified": 0.75}


@dataclass(frozen=True)
class Quantization:
    """A weight format: its average bits per weight and where the figure comes from."""

    id: str
    bits_per_weight: float
    family: Literal["float", "gguf", "gpu-int4", "microscaling"]
    source: str


LLAMA_CPP_QUANTIZE = "https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/README.md"

#: Bits per weight. GGUF k-quants: llama.cpp's measured whole-file averages on Llama-3.1-8B.
QUANTIZATIONS: dict[str, Quantization] = {q.id: q for q in [
    Quantization("F32", 32.0, "float", "IEEE 754 single precision"),
    Quantization("BF16", 16.0, "float", "bfloat16, 2 bytes per weight"),
    Quantization("F16", 16.0, "float", "IEEE 754 half precision"),
    Quantization("FP8", 8.0, "float", "8-bit float, 1 byte per weight (scales negligible)"),
    Quantization("Q8_0", 8.5008, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q6_K", 6.5633, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q5_K_M", 5.7036, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q4_K_M", 4.8944, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q4_K_S", 4.6672, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q3_K_L", 4.2979, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q3_K_M", 3.91, "gguf", LLAMA_CPP_QUANTIZE + " (Llama-2-7B table)"),
    Quantization("Q3_K_S", 3.6429, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("Q2_K", 3.1593, "gguf", LLAMA_CPP_QUANTIZE),
    Quantization("AWQ", 4.25, "gpu-int4", "4-bit weights + fp16 scale and zero per 128-weight group"),
    Quantization("GPTQ", 4.25, "gpu-int4", "4-bit weights + fp16 scale and zero per 128-weight group"),
    Quantization("MXFP4", 4.25, "microscaling", "OCP MX: 4-bit values + one 8-bit scale per 32"),
]}

#: What advisor tries, best quality first (GGUF ladder as llama.cpp users install it).
LADDER: tuple[str, ...] = ("BF16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M")
#: Below this, quality loss is noticeable; advisor warns.
LOW_QUANT = {"Q3_K_M", "Q3_K_S", "Q3_K_L", "Q2_K"}
#: The ladder starts below the precision the weights were published in.
_LADDER_START = {"fp32": "BF16", "bf16": "BF16", "fp16": "BF16", "fp8": "Q8_0", "mxfp4": "MXFP4"}

KV_BYTES = {"f16": 2.0, "bf16": 2.0, "q8_0": 1.0625, "fp8": 1.0}


def ladder_for(model: ModelEntry) -> tuple[str, ...]:
    """The quantizations worth trying for this model, best first."""
    start = _LADDER_START.get(model.weights_dtype or "bf16", "BF16")
    if start == "MXFP4":
        return ("MXFP4", "Q3_K_M")
    return LADDER[LADDER.index(start):]


# --------------------------------------------------------------------------- memory


def weights_gb(model: ModelEntry, quant: str) -> float | None:
    """Weight memory in GB, from total parameters (all experts for MoE)."""
    if model.params_total_b is None:
        return None
    return model.params_total_b * 1e9 * QUANTIZATIONS[quant].bits_per_weight / 8 / GB


def kv_bytes_per_token(model: ModelEntry, context: int, kv_cache: str = "f16") -> float | None:
    """Average KV-cache bytes per token of context for one sequence (None if the catalogue
    lacks the architecture). Sliding-window layers stop growing at the window."""
    a = model.architecture
    element = KV_BYTES[kv_cache]
    layers = a.num_hidden_layers
    if layers is None:
        return None
    if a.attention == "mla" or a.kv_lora_rank is not None:
        if a.kv_lora_rank is None or a.qk_rope_head_dim is None:
            return None
        return layers * (a.kv_lora_rank + a.qk_rope_head_dim) * element
    kv_heads = a.num_key_value_heads or a.num_attention_heads
    head_dim = a.head_dim
    if head_dim is None and a.hidden_size and a.num_attention_heads:
        head_dim = a.hidden_size // a.num_attention_heads
    if kv_heads is None or head_dim is None:
        return None
    if a.attention == "hybrid":
        if a.full_attention_layers is None:
            return None
        layers = a.full_attention_layers
    per_layer = 2 * kv_heads * head_dim * element
    if a.sliding_window:
        windowed = a.sliding_window_layers if a.sliding_window_layers is not None else layers
        windowed = min(windowed, layers)
        full = layers - windowed
        effective = full + windowed * min(context, a.sliding_window) / context
        return per_layer * effective
    return per_layer * layers


def kv_cache_gb(model: ModelEntry, context: int, users: int = 1, kv_cache: str = "f16") -> float | None:
    per_token = kv_bytes_per_token(model, context, kv_cache)
    if per_token is None:
        return None
    return per_token * context * users / GB


@dataclass(frozen=True)
class Memory:
    """A memory estimate in GB. ``kv_known`` is False when the architecture is missing and
    the KV cache could not be sized (the total then counts weights and overhead only)."""

    quantization: str
    weights_gb: float
    kv_cache_gb: float
    overhead_gb: float
    kv_known: bool

    @property
    def total_gb(self) -> float:
        return self.weights_gb + self.kv_cache_gb + self.overhead_gb


def estimate_memory(model: ModelEntry, quant: str, context: int, users: int = 1,
                    kv_cache: str = "f16", devices: int = 1) -> Memory | None:
    """Weights + KV cache + overhead, or None when the parameter count is unknown."""
    w = weights_gb(model, quant)
    if w is None:
        return None
    kv = kv_cache_gb(model, context, users, kv_cache)
    overhead = OVERHEAD_PER_DEVICE_GB * devices + ACTIVATION_FRACTION * (w + (kv or 0.0))
    return Memory(quant, w, kv or 0.0, overhead, kv is not None)


# --------------------------------------------------------------------------- devices and speed


@dataclass(frozen=True)
class Device:
    """Hardware to run on: one or more identical devices."""

    label: str
    kind: Literal["gpu", "cpu", "unified"]
    memory_gb: float
    bandwidth_gbps: float
    count: int = 1
    usable_fraction: float = 1.0
    hardware_id: str | None = None
    price_eur: float | None = None

    @property
    def usable_gb(self) -> float:
        return self.memory_gb * self.usable_fraction * self.count

    @property
    def effective_bandwidth(self) -> float:
        efficiency = {"gpu": GPU_EFFICIENCY, "unified": UNIFIED_EFFICIENCY, "cpu": CPU_EFFICIENCY}[self.kind]
        scale = self.count * TENSOR_PARALLEL_EFFICIENCY ** (self.count - 1) if self.count > 1 else 1
        return self.bandwidth_gbps * efficiency * scale

    @property
    def name(self) -> str:
        return f"{self.count}x {self.hardware_id or self.label}"

    @staticmethod
    def from_hardware(hw: Hardware, count: int = 1) -> Device:
        return Device(hw.name, hw.kind, hw.memory_gb, hw.bandwidth_gbps, count,
                      hw.usable_fraction, hw.id, hw.price_eur)


def weight_bytes_read(model: ModelEntry, quant: str, users: int) -> float | None:
    """Weight bytes one decode step reads for a batch of ``users`` sequences."""
    total = weights_gb(model, quant)
    if total is None:
        return None
    total *= GB
    if not model.is_moe or model.params_total_b is None or model.params_active_b is None:
        return total
    active = total * model.params_active_b / model.params_total_b
    e, k = model.architecture.num_experts, model.architecture.experts_per_token
    if not e or not k or k >= e:
        return active
    experts = (total - active) / (1 - k / e)  # bytes of all routed experts
    shared = total - experts
    read_share = 1 - (1 - k / e) ** users
    return shared + experts * read_share


@dataclass(frozen=True)
class Speed:
    per_user: float
    """Tokens per second each user sees."""
    aggregate: float
    """Tokens per second across all concurrent users."""


def decode_speed(model: ModelEntry, quant: str, context: int, users: int, device: Device,
                 kv_cache: str = "f16") -> Speed | None:
    """Bandwidth-roofline decode speed at full context (a conservative point)."""
    weights = weight_bytes_read(model, quant, users)
    if weights is None:
        return None
    kv_per_seq = (kv_cache_gb(model, context, 1, kv_cache) or 0.0) * GB
    step_bytes = weights + users * kv_per_seq
    step_time = step_bytes / (device.effective_bandwidth * GB)
    return Speed(per_user=1 / step_time, aggregate=users / step_time)


def max_context(model: ModelEntry, quant: str, users: int, device: Device,
                kv_cache: str = "f16") -> int:
    """Largest context per request (tokens) that fits, capped at the model's context length;
    0 if not even 256 tokens fit (or the context length is not known)."""
    if model.context_length is None:
        return 0
    limit = model.context_length

    def fits(ctx: int) -> bool:
        m = estimate_memory(model, quant, ctx, users, kv_cache, device.count)
        return m is not None and m.total_gb <= device.usable_gb

    if not fits(256):
        return 0
    if fits(limit):
        return limit
    lo, hi = 256, limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class Plan:
    """A way to run one model: quantization on a device, possibly rented."""

    quantization: str
    memory: Memory
    device: Device
    speed: Speed
    monthly_cost_eur: float = 0.0
    purchase_eur: float | None = None
    offer: HostingOffer | None = None

    @property
    def utilisation(self) -> float:
        return self.memory.total_gb / self.device.usable_gb


def best_quantization(model: ModelEntry, device: Device, context: int, users: int,
                      kv_cache: str = "f16", floor: str | None = None) -> Plan | None:
    """The highest-quality quantization on the ladder that fits ``device``."""
    ladder = ladder_for(model)
    if floor is not None and floor in ladder:
        ladder = ladder[: ladder.index(floor) + 1]
    for quant in ladder:
        memory = estimate_memory(model, quant, context, users, kv_cache, device.count)
        if memory is None:
            return None
        if memory.total_gb <= device.usable_gb:
            speed = decode_speed(model, quant, context, users, device, kv_cache)
            assert speed is not None
            return Plan(quant, memory, device, speed)
    return None


def smallest_need(model: ModelEntry, context: int, users: int, kv_cache: str = "f16",
                  devices: int = 1) -> Memory | None:
    """Memory at the lowest quantization advisor would use (the floor of what is needed)."""
    return estimate_memory(model, ladder_for(model)[-1], context, users, kv_cache, devices)


def size_of(value: float) -> float:
    """Round a GB figure for display (two decimals below 10 GB, one above)."""
    return round(value, 2) if value < 10 else round(value, 1)


def log_points(value: float, low: float, high: float) -> float:
    """0 at ``low``, 100 at ``high`` and above, logarithmic in between."""
    if value <= low:
        return 0.0
    if value >= high:
        return 100.0
    return 100 * math.log(value / low) / math.log(high / low)

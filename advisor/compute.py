"""Memory, speed and time-to-first-token estimates: pure functions, no I/O.

All sizes are GB = 10^9 bytes. The model below is what ``README.md`` ("How compute is
estimated") explains; every constant is named here with its basis.

Memory an engine needs = weights + activations + KV cache, within the memory the engine may use:

- **weights** = parameters x bits per weight / 8. For official 4-bit MoE releases (MXFP4, INT4)
  only the routed experts are 4-bit; attention, embeddings and shared experts stay 16-bit.
- **KV cache** per token of context = 2 (K and V) x KV heads x head dim x bytes per element for
  every attention layer; windowed layers (sliding or chunked) hold at most ``window`` tokens;
  hybrid models count only their full-attention layers; MLA (DeepSeek-style) caches one latent
  of ``kv_lora_rank + qk_rope_head_dim`` elements per layer (plus a sparse-attention indexer key).
- **activations**: the engine's profiling peak, ``ACTIVATION_GB + ACTIVATION_GB_PER_B`` x active
  parameters in billions.
- **usable memory**: a GPU under vLLM gives ``GPU_UTILISATION`` (vLLM's default
  --gpu-memory-utilization) of its memory minus ``RUNTIME_GB`` (CUDA context, graphs,
  communication buffers); CPU and unified memory give the share the hardware entry leaves after
  the operating system (``usable_fraction``), and a CPU server keeps ``OS_RESERVE_GB`` back.

Decode speed per step = the larger of the memory time (weight bytes read + the KV cache of every
active sequence, over bandwidth x efficiency) and the compute time (2 x active parameters per
generated token plus attention, over dense FLOP/s x efficiency). Per user = 1 / step; aggregate =
sequences / step. Time to first token = the prefill FLOPs of the prompt over dense FLOP/s x
``PREFILL_EFFICIENCY``. Several GPUs run tensor-parallel: bandwidth and FLOP/s scale with the
count times ``TP_EFFICIENCY[interconnect]`` per doubling.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .schema.catalogue import Hardware, ModelEntry

GB = 1e9
GPU_UTILISATION = 0.90
"""vLLM's default --gpu-memory-utilization (https://docs.vllm.ai/en/latest/models/engine_args.html)."""
RUNTIME_GB = 1.0
"""Per GPU, outside what the model uses: CUDA/ROCm context, CUDA graphs, communication buffers."""
OS_RESERVE_GB = 4.0
"""A CPU server keeps this much RAM for the operating system and other services."""
ACTIVATION_GB, ACTIVATION_GB_PER_B = 0.5, 0.03
"""Engine working memory at its profiling peak (activations for a prefill chunk, logits, buffers):
0.5 GB plus 0.03 GB per billion active parameters (about 1.2 GB for a dense 24B model)."""
#: Share of the memory bandwidth a decode step reaches, by device kind (calibrated against the
#: published measurements in tests/data/measurements.yaml; see benchmarks/estimates.py).
BANDWIDTH_EFFICIENCY = {"gpu": 0.68, "unified": 0.75, "cpu": 0.60}
COMPUTE_EFFICIENCY = 0.45
"""Share of dense FLOP/s a batched decode step reaches."""
PREFILL_EFFICIENCY = 0.45
PIPELINE_PREFILL_EXPONENT = 0.8
"""llama.cpp with the layers split over N GPUs still processes a prompt on all of them in a
pipeline: about N^0.8 times one GPU (1.7x for two, 5x for eight in the prefill measurements),
while decoding one request does not speed up."""
"""Share of dense FLOP/s a prefill (prompt processing) reaches."""
TP_EFFICIENCY = {"nvlink": 0.92, "infinity_fabric": 0.92, "pcie": 0.80, "none": 0.80}
"""Scaling kept per doubling of tensor-parallel GPUs (all-reduce cost over the link)."""
STEP_OVERHEAD_S = {"vllm": 0.0015, "llama.cpp": 0.0015, "mlx": 0.0015, "sglang": 0.0015}
"""Fixed time per decode step (scheduling, sampling, kernel launches) that caps tiny models."""
SEQUENCE_OVERHEAD_S = 0.0001
"""Time per decode step and active sequence (batch scheduling, sampling, attention launches):
what makes 32-64 simultaneous requests slower per request than bandwidth alone predicts."""
#: Dense TFLOP/s assumed for hardware described by hand (no catalogue figure): conservative.
INLINE_TFLOPS = {"gpu": 40.0, "unified": 15.0, "cpu": 3.0}
INLINE_USABLE_FRACTION = {"gpu": 1.0, "cpu": 0.9, "unified": 0.75}

Engine = Literal["vllm", "sglang", "llama.cpp", "mlx", "managed_api"]
KV_BYTES = {"fp16": 2.0, "bf16": 2.0, "f16": 2.0, "fp8": 1.0, "q8_0": 1.0625}


@dataclass(frozen=True, slots=True)
class WeightFormat:
    """A weight format an engine runs, with its average bits per weight."""

    id: str
    """As the deployment names it (the contract's weights_format): BF16, FP8, AWQ-INT4, GGUF Q4_K_M."""
    bits: float
    engine: Literal["vllm", "llama.cpp"]
    artefact: str
    """The artefact format that holds these weights (BF16, FP8, AWQ-INT4, GGUF, ...)."""
    quality: int
    """0 = full precision; higher = more compression (ties compare equal)."""
    gguf_type: str | None = None
    experts_only: bool = False
    """Official 4-bit MoE formats quantize only the routed experts."""
    source: str = ""


LLAMA_CPP_QUANTIZE = "https://github.com/ggml-org/llama.cpp/blob/master/tools/quantize/README.md"

#: GPU formats (vLLM) and CPU / Apple formats (llama.cpp GGUF; bits per weight are llama.cpp's
#: measured whole-file averages on Llama-3.1-8B).
FORMATS: dict[str, WeightFormat] = {f.id: f for f in [
    WeightFormat("BF16", 16.0, "vllm", "BF16", 0, source="bfloat16, 2 bytes per weight"),
    WeightFormat("FP8", 8.0, "vllm", "FP8", 1, source="8-bit float weights, per-channel scales (negligible)"),
    WeightFormat("MXFP4", 4.25, "vllm", "MXFP4", 3, experts_only=True,
                 source="OCP MX: 4-bit values + one 8-bit scale per 32, on the routed experts"),
    WeightFormat("INT4", 4.5, "vllm", "INT4", 3, experts_only=True,
                 source="4-bit integer experts with a 16-bit scale per 32 weights (quantization-aware release)"),
    WeightFormat("AWQ-INT4", 4.25, "vllm", "AWQ-INT4", 3, source="4-bit weights + fp16 scale and zero per 128"),
    WeightFormat("GPTQ-INT4", 4.25, "vllm", "GPTQ-INT4", 3, source="4-bit weights + fp16 scale and zero per 128"),
    WeightFormat("GGUF BF16", 16.0, "llama.cpp", "GGUF", 0, "BF16", source=LLAMA_CPP_QUANTIZE),
    WeightFormat("GGUF Q8_0", 8.5008, "llama.cpp", "GGUF", 1, "Q8_0", source=LLAMA_CPP_QUANTIZE),
    WeightFormat("GGUF Q6_K", 6.5633, "llama.cpp", "GGUF", 2, "Q6_K", source=LLAMA_CPP_QUANTIZE),
    WeightFormat("GGUF Q5_K_M", 5.7036, "llama.cpp", "GGUF", 2, "Q5_K_M", source=LLAMA_CPP_QUANTIZE),
    WeightFormat("GGUF Q4_K_M", 4.8944, "llama.cpp", "GGUF", 3, "Q4_K_M", source=LLAMA_CPP_QUANTIZE),
    WeightFormat("GGUF Q3_K_M", 3.91, "llama.cpp", "GGUF", 4, "Q3_K_M", source=LLAMA_CPP_QUANTIZE + " (Llama-2-7B)"),
    WeightFormat("GGUF MXFP4", 4.25, "llama.cpp", "GGUF", 3, "MXFP4", experts_only=True,
                 source="gpt-oss GGUF: MXFP4 experts, other tensors 16-bit"),
]}
#: Formats below 4 bits per weight on average lose quality noticeably; advisor warns.
LOW_BITS = {"GGUF Q3_K_M"}
#: The name the GGUF ladder uses for each quantization type (``--quant`` accepts both).
ALIASES = {f.gguf_type: f.id for f in FORMATS.values() if f.gguf_type} | {"AWQ": "AWQ-INT4", "GPTQ": "GPTQ-INT4"}


def gpu_formats(model: ModelEntry) -> tuple[str, ...]:
    """GPU formats worth trying for this model, best quality first: never above the precision the
    official weights were published in."""
    dtype = model.weights_dtype or "bf16"
    if dtype == "mxfp4":
        return ("MXFP4",)
    if dtype == "int4":
        return ("INT4",)
    if dtype == "fp8":
        return ("FP8", "AWQ-INT4", "GPTQ-INT4")
    return ("BF16", "FP8", "AWQ-INT4", "GPTQ-INT4")


def gguf_formats(model: ModelEntry) -> tuple[str, ...]:
    """llama.cpp GGUF types worth trying, best quality first."""
    dtype = model.weights_dtype or "bf16"
    if dtype == "mxfp4":
        return ("GGUF MXFP4",)
    ladder = ("GGUF BF16", "GGUF Q8_0", "GGUF Q6_K", "GGUF Q5_K_M", "GGUF Q4_K_M", "GGUF Q3_K_M")
    if dtype in ("fp8", "int4"):
        ladder = ladder[1:] if dtype == "fp8" else ladder[4:]
    return ladder


# --------------------------------------------------------------------------- weights


def _expert_split(model: ModelEntry) -> tuple[float, float]:
    """(parameters of the routed experts, all other parameters), in billions."""
    total = model.params_total_b or 0.0
    active = model.params_active_b
    e, k = model.architecture.num_experts, model.architecture.experts_per_token
    if active is None or not e or not k or k >= e:
        return 0.0, total
    experts = (total - active) / (1 - k / e)
    experts = max(0.0, min(experts, total))
    return experts, total - experts


def weights_gb(model: ModelEntry, fmt: str) -> float | None:
    """Weight memory in GB (all experts are resident for MoE)."""
    if model.params_total_b is None:
        return None
    f = FORMATS[fmt]
    if f.experts_only:
        experts, other = _expert_split(model)
        return (experts * f.bits + other * 16.0) * 1e9 / 8 / GB
    return model.params_total_b * 1e9 * f.bits / 8 / GB


def weight_bytes_read(model: ModelEntry, fmt: str, sequences: int) -> float | None:
    """Weight bytes one decode step reads for ``sequences`` sequences: the dense part once, and for
    MoE the expected share of distinct routed experts, 1 - (1 - k/E)^sequences."""
    total = weights_gb(model, fmt)
    if total is None:
        return None
    experts, other = _expert_split(model)
    if not experts:
        return total * GB
    f = FORMATS[fmt]
    expert_bytes = experts * 1e9 * f.bits / 8
    other_bytes = other * 1e9 * (16.0 if f.experts_only else f.bits) / 8
    e, k = model.architecture.num_experts or 1, model.architecture.experts_per_token or 1
    share = 1 - (1 - k / e) ** sequences
    return other_bytes + expert_bytes * share


# --------------------------------------------------------------------------- KV cache


def kv_bytes_per_token(model: ModelEntry, context: int, kv_dtype: str = "fp16") -> float | None:
    """Average KV-cache bytes per token of context for one sequence of ``context`` tokens, or None
    when the catalogue lacks the architecture."""
    layout = kv_layout(model, kv_dtype)
    return None if layout is None or context < 1 else kv_per_token(layout, context)


def kv_cache_gb(model: ModelEntry, context: int, sequences: int = 1, kv_dtype: str = "fp16") -> float | None:
    return kv_gb(kv_layout(model, kv_dtype), context, sequences)


def kv_gb(layout: KvLayout | None, context: int, sequences: int) -> float | None:
    """The KV cache of ``sequences`` sequences of ``context`` tokens, in GB (None when the
    architecture is not known)."""
    if layout is None or context < 1:
        return None
    return kv_per_token(layout, context) * context * sequences / GB


KvLayout = tuple[float | None, float, int, float, int, float, int | None]
"""A model's KV cache per layer kind, for one cache type (what :func:`kv_bytes_per_token` reads
from the architecture, so that a search over context lengths reads it once): the bytes per token
over all layers for MLA (else None), the share of layers that keep a cache, the full-attention
layers and their bytes per token, the sliding-window layers and theirs, and the window."""


def kv_per_token(layout: KvLayout, context: int) -> float:
    latent, keep, full, per_full_layer, windowed, per_window_layer, sliding_window = layout
    if latent is not None:
        return latent
    window_share = min(context, sliding_window) / context if sliding_window else 1.0
    return keep * (full * per_full_layer + windowed * per_window_layer * window_share)


def kv_layout(model: ModelEntry, kv_dtype: str = "fp16") -> KvLayout | None:
    """The KV-cache layout of ``model``, or None when the catalogue lacks the architecture."""
    a = model.architecture
    element = KV_BYTES[kv_dtype]
    layers = a.num_hidden_layers
    if layers is None:
        return None
    if a.attention == "mla" or a.kv_lora_rank is not None:
        if a.kv_lora_rank is None or a.qk_rope_head_dim is None:
            return None
        per_layer = (a.kv_lora_rank + a.qk_rope_head_dim) * element + (a.index_head_dim or 0) * 1.0
        return (layers * per_layer, 1.0, 0, 0.0, 0, 0.0, None)
    kv_heads = a.num_key_value_heads or a.num_attention_heads
    head_dim = a.head_dim
    if head_dim is None and a.hidden_size and a.num_attention_heads:
        head_dim = a.hidden_size // a.num_attention_heads
    if kv_heads is None or head_dim is None:
        return None
    attention_layers = layers
    if a.attention == "hybrid":
        if a.full_attention_layers is None:
            return None
        attention_layers = a.full_attention_layers
    windowed = 0
    if a.sliding_window:
        windowed = min(attention_layers, a.sliding_window_layers if a.sliding_window_layers is not None
                       else attention_layers)
    full = attention_layers - windowed
    keep = 1.0
    if a.kv_shared_layers:  # the last layers reuse earlier layers' cache
        keep = max(0.0, (layers - a.kv_shared_layers) / layers)
    per_window_layer = 2 * kv_heads * head_dim * element
    per_full_layer = ((1 if a.full_attention_k_eq_v else 2) * (a.full_attention_num_key_value_heads or kv_heads)
                      * (a.full_attention_head_dim or head_dim) * element)
    return (None, keep, full, per_full_layer, windowed, per_window_layer, a.sliding_window)


def activations_gb(model: ModelEntry) -> float:
    active = model.params_active_b or model.params_total_b or 0.0
    return ACTIVATION_GB + ACTIVATION_GB_PER_B * active


# --------------------------------------------------------------------------- devices


@dataclass(frozen=True, slots=True)
class Device:
    """Hardware to run on: ``count`` identical devices."""

    label: str
    kind: Literal["gpu", "cpu", "unified"]
    memory_gb: float
    bandwidth_gbps: float
    count: int = 1
    usable_fraction: float = 1.0
    hardware_id: str | None = None
    price_eur: float | None = None
    tflops_bf16: float | None = None
    tflops_fp8: float | None = None
    vendor: str = ""
    interconnect: str = "pcie"
    hardware_class: str | None = None
    sold_as: str = "card"
    power_w: float | None = None
    split_layers: bool = False
    """Several devices hold consecutive layers (llama.cpp): memory adds up, speed does not."""
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)
    """The hash, once computed: the planner's memo keys hold set-ups, and hashing all sixteen
    fields on every lookup cost a few per cent of ranking a profile."""

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash(_DEVICE_FIELDS(self))
            object.__setattr__(self, "_hash", h)
        return h

    @property
    def name(self) -> str:
        return f"{self.count}x {self.hardware_id or self.label}"

    @property
    def engine(self) -> Engine:
        """The serving engine advisor plans for: vLLM on discrete GPUs and on NVIDIA unified memory
        (DGX Spark), llama.cpp on CPUs and other unified memory (Apple, AMD Strix Halo)."""
        if self.kind == "gpu" or (self.kind == "unified" and self.vendor.upper() == "NVIDIA"):
            return "vllm"
        return "llama.cpp"

    @property
    def fp8(self) -> bool:
        """Native FP8 tensor cores (FP8 weights and KV cache at full speed)."""
        return self.tflops_fp8 is not None

    @property
    def fp8_weights(self) -> bool:
        """vLLM can run FP8 weights: natively, or weight-only (Marlin kernels) on NVIDIA GPUs with
        BF16 tensor cores (Ampere and newer); hardware described by hand is assumed recent."""
        if self.fp8:
            return True
        return self.kind == "gpu" and (self.vendor == "" or (self.vendor.upper() == "NVIDIA"
                                                              and self.tflops_bf16 is not None))

    def usable(self, engine: str) -> float:
        """Memory ``engine`` may use for weights, activations and KV cache, in all devices."""
        if self.kind == "gpu":
            if engine == "vllm":
                return max(0.0, self.memory_gb * GPU_UTILISATION - RUNTIME_GB) * self.count
            return max(0.0, self.memory_gb * self.usable_fraction - RUNTIME_GB / 2) * self.count
        usable = self.memory_gb * self.usable_fraction * self.count
        if self.kind == "cpu":
            usable -= OS_RESERVE_GB
        return max(0.0, usable)

    @property
    def usable_gb(self) -> float:
        return self.usable(self.engine)

    def scale(self) -> float:
        """Speed-up of ``count`` tensor-parallel devices over one (none when layers are split)."""
        if self.count <= 1 or self.split_layers:
            return 1.0
        return self.count * TP_EFFICIENCY.get(self.interconnect, 0.8) ** math.log2(self.count)

    @property
    def bandwidth(self) -> float:
        """Effective bandwidth of all devices for decoding, bytes per second."""
        return self.bandwidth_gbps * GB * BANDWIDTH_EFFICIENCY[self.kind] * self.scale()

    def flops(self, fmt: str) -> float:
        """Dense FLOP/s of all devices for this weight format (FP8 units where the device has them)."""
        base = self.tflops_bf16 or INLINE_TFLOPS[self.kind]
        if fmt == "FP8" and self.tflops_fp8:
            base = self.tflops_fp8
        return base * 1e12 * self.scale()

    @staticmethod
    def from_hardware(hw: Hardware, count: int = 1) -> Device:
        return Device(hw.name, hw.kind, hw.memory_gb, hw.bandwidth_gbps, count, hw.usable_fraction, hw.id,
                      hw.price_eur, hw.tflops_bf16, hw.tflops_fp8, hw.vendor, hw.interconnect or "pcie",
                      hw.hardware_class, hw.sold_as, hw.power_w)

    def with_count(self, count: int) -> Device:
        return replace(self, count=count)


_DEVICE_FIELDS = operator.attrgetter(*(f.name for f in fields(Device) if f.compare))
"""What ``Device.__eq__`` compares, as a tuple (hashed the same way)."""


# --------------------------------------------------------------------------- speed


@dataclass(frozen=True, slots=True)
class Speed:
    per_user: float
    """Tokens per second each active sequence sees."""
    aggregate: float
    """Tokens per second across all active sequences."""
    bound: Literal["memory", "compute"]
    """What limits the step."""


def attention_flops_per_token(model: ModelEntry, context: int) -> float:
    """FLOPs one generated token spends attending to ``context`` earlier tokens (QK and AV)."""
    a = model.architecture
    heads = a.num_attention_heads or a.num_key_value_heads or 0
    head_dim = a.head_dim or ((a.hidden_size or 0) // heads if heads else 0)
    layers = a.full_attention_layers if a.attention == "hybrid" and a.full_attention_layers else (
        a.num_hidden_layers or 0)
    if a.sliding_window and a.sliding_window_layers:
        windowed = min(layers, a.sliding_window_layers)
        return 4 * heads * head_dim * ((layers - windowed) * context + windowed * min(context, a.sliding_window))
    return 4 * heads * head_dim * layers * context


def decode_speed(model: ModelEntry, fmt: str, context: int, sequences: int, device: Device,
                 kv_dtype: str = "fp16", engine: str | None = None) -> Speed | None:
    """Decode speed with ``sequences`` active sequences, each holding ``context`` tokens."""
    weights = weight_bytes_read(model, fmt, sequences)
    per_token = kv_bytes_per_token(model, context, kv_dtype)
    if weights is None or per_token is None:
        return None
    kv = per_token * context * sequences
    memory_time = (weights + kv) / device.bandwidth
    active = (model.params_active_b or model.params_total_b or 0.0) * 1e9
    flops = sequences * (2 * active + attention_flops_per_token(model, context))
    compute_time = flops / (device.flops(fmt) * COMPUTE_EFFICIENCY)
    step = (max(memory_time, compute_time) + STEP_OVERHEAD_S.get(engine or device.engine, 0.0015)
            + SEQUENCE_OVERHEAD_S * sequences)
    return Speed(1 / step, sequences / step, "memory" if memory_time >= compute_time else "compute")


def prefill_seconds(model: ModelEntry, fmt: str, prompt_tokens: int, device: Device) -> float:
    """Time to process a prompt of ``prompt_tokens`` (the time to first token of one request)."""
    active = (model.params_active_b or model.params_total_b or 0.0) * 1e9
    flops = 2 * active * prompt_tokens + attention_flops_per_token(model, prompt_tokens) * prompt_tokens / 2
    pipeline = device.count ** PIPELINE_PREFILL_EXPONENT if device.split_layers else 1.0
    return flops / (device.flops(fmt) * PREFILL_EFFICIENCY * pipeline)


# --------------------------------------------------------------------------- memory


@dataclass(frozen=True, slots=True)
class Memory:
    """Memory of one deployment, GB."""

    format: str
    weights_gb: float
    activations_gb: float
    kv_cache_gb: float
    """KV cache at the planned concurrency and typical context."""
    kv_full_gb: float
    """KV cache of one sequence at the full context."""
    kv_dtype: str

    @property
    def total_gb(self) -> float:
        return self.weights_gb + self.activations_gb + self.kv_cache_gb


def memory(model: ModelEntry, fmt: str, *, context: int, typical: int, sequences: int,
           kv_dtype: str = "fp16") -> Memory | None:
    w = weights_gb(model, fmt)
    layout = kv_layout(model, kv_dtype)
    planned = kv_gb(layout, typical, sequences)
    full = kv_gb(layout, context, 1)
    if w is None or planned is None or full is None:
        return None
    return Memory(fmt, w, activations_gb(model), planned, full, kv_dtype)


def sessions_at_full_context(model: ModelEntry, mem: Memory, usable_gb: float) -> int:
    """How many sequences can hold the full context at once in what is left after the weights."""
    free = usable_gb - mem.weights_gb - mem.activations_gb
    if mem.kv_full_gb <= 0:
        return 0
    return max(0, int(free // mem.kv_full_gb))


def max_context(model: ModelEntry, mem: Memory, sequences: int, usable_gb: float) -> int:
    """Largest context per sequence (tokens) when ``sequences`` sequences all hold it at once,
    capped at the model's context length."""
    if model.context_length is None:
        return 0
    free = usable_gb - mem.weights_gb - mem.activations_gb
    layout = kv_layout(model, mem.kv_dtype)
    lo, hi = 0, model.context_length
    while lo < hi:
        mid = (lo + hi + 1) // 2
        need = kv_gb(layout, mid, sequences)
        if need is not None and need <= free:
            lo = mid
        else:
            hi = mid - 1
    return lo


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

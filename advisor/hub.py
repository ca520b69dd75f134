"""The Hugging Face Hub, for maintaining the catalogue (never used when scoring).

- ``draft_entry(repo)``: a catalogue entry drafted from the Hub's model API and the
  repository's config.json. Facts the Hub states (licence tag, gating, languages, parameter
  count, architecture, context) are filled in with the Hub URLs as sources; everything a
  person must judge (licence mapping when unclear, tasks, variant, openness) is named in
  ``unknown`` for review. A draft is never a finished entry.
- ``check(catalogue)``: drift between catalogue entries and the Hub.

huggingface_hub is imported here only, and only when these run. Set HF_ENDPOINT to use a
mirror (the tests point it at a local server with recorded responses).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .catalogue import Catalogue
from .errors import AdvisorError, Problem
from .schema.catalogue import ModelEntry
from .schema.iso import LANGUAGES

REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def fetch(repo: str) -> tuple[Any, dict[str, Any] | None]:
    """(ModelInfo, config.json or None) for a repository."""
    if not REPO.match(repo):
        raise AdvisorError([Problem(f"{repo!r} is not a Hub repository id (owner/name)", field="HF_REPO")])
    try:
        from huggingface_hub import HfApi
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError
        from huggingface_hub.utils import get_session
    except ImportError as exc:  # pragma: no cover - a dependency of advisor
        raise AdvisorError(f"the Hub commands need huggingface_hub ({exc})") from None
    endpoint = _endpoint()
    try:
        info = HfApi(endpoint=endpoint).model_info(repo)
    except RepositoryNotFoundError:
        raise AdvisorError([Problem(f"no repository {repo!r} on {endpoint}", field="HF_REPO")]) from None
    except GatedRepoError:
        raise AdvisorError([Problem(f"{repo!r} is gated; log in with a token that has access",
                                    field="HF_REPO")]) from None
    except Exception as exc:  # network errors come in many types
        raise AdvisorError([Problem(f"could not reach the Hub at {endpoint}: {type(exc).__name__}: {exc}",
                                    field="HF_REPO")]) from None
    config = None
    try:
        r = get_session().get(f"{endpoint}/{repo}/resolve/main/config.json", timeout=30)
        if r.status_code == 200:
            config = r.json()
    except Exception:  # config.json is optional (gated repos, mistral-format repos)
        config = None
    return info, config


def _card(info: Any) -> dict[str, Any]:
    """The model card's metadata as a plain mapping."""
    card = getattr(info, "card_data", None)
    if card is None:
        return {}
    return card.to_dict() if hasattr(card, "to_dict") else dict(card)


def _text_config(config: dict[str, Any]) -> dict[str, Any]:
    for key in ("text_config", "llm_config", "language_config"):
        if isinstance(config.get(key), dict):
            return {**config, **config[key]}
    return config


def architecture_from_config(config: dict[str, Any]) -> dict[str, Any]:
    """Architecture fields as the catalogue stores them, from a Hugging Face config.json."""
    c = _text_config(config)
    heads = c.get("num_attention_heads") or c.get("n_heads")
    kv = c.get("num_key_value_heads") or c.get("n_kv_heads") or heads
    hidden = c.get("hidden_size") or c.get("d_model") or c.get("dim")
    head_dim = c.get("head_dim") or (hidden // heads if hidden and heads else None)
    layers = c.get("num_hidden_layers") or c.get("n_layers")
    arch: dict[str, Any] = {"num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kv,
                            "head_dim": head_dim, "hidden_size": hidden}
    if c.get("kv_lora_rank"):
        arch.update(attention="mla", kv_lora_rank=c["kv_lora_rank"], qk_rope_head_dim=c.get("qk_rope_head_dim"))
    elif kv and heads:
        arch["attention"] = "mha" if kv == heads else ("mqa" if kv == 1 else "gqa")
    layer_types = c.get("layer_types")
    if isinstance(layer_types, list) and layer_types:
        sliding = sum(1 for t in layer_types if "sliding" in str(t))
        if sliding:
            arch.update(sliding_window=c.get("sliding_window"), sliding_window_layers=sliding)
    elif c.get("sliding_window") and c.get("use_sliding_window", True):
        arch["sliding_window"] = c["sliding_window"]
    experts = c.get("num_local_experts") or c.get("n_routed_experts") or c.get("num_experts")
    if experts:
        arch.update(num_experts=experts, experts_per_token=c.get("num_experts_per_tok"))
    return {k: v for k, v in arch.items() if v is not None}


def _licence_id(catalogue: Catalogue, tag: str | None, name: str | None) -> str | None:
    for lic in catalogue.licences.values():
        if tag and tag != "other" and lic.hf_tag == tag:
            return lic.id
        if tag == "other" and name and lic.hf_license_name == name:
            return lic.id
    return None


def _publisher(catalogue: Catalogue, org: str) -> str | None:
    for m in catalogue.models.values():
        if m.hf_repo.split("/")[0].lower() == org.lower():
            return m.publisher
    return None


def draft_entry(repo: str, catalogue: Catalogue, today: dt.date | None = None) -> dict[str, Any]:
    """A draft catalogue entry for ``repo`` (a mapping; validate it before use)."""
    today = today or dt.date.today()
    info, config = fetch(repo)
    card = _card(info)
    endpoint = _endpoint()
    org, name = repo.split("/")
    unknown = ["tasks", "variant", "family", "openness.technical_report", "openness.training_data",
               "openness.training_code"]
    tag = card.get("license")
    licence = _licence_id(catalogue, tag, card.get("license_name"))
    if licence is None:
        unknown.append(f"licence (Hub tag {tag!r} is not mapped to a catalogue licence; read the LICENSE file)")
    publisher = _publisher(catalogue, org)
    if publisher is None:
        unknown.append(f"publisher (no catalogue publisher for the Hub organisation {org!r})")
    languages = card.get("language") or []
    languages = [x for x in ([languages] if isinstance(languages, str) else languages) if x in LANGUAGES]
    if not languages:
        unknown.append("languages")
    safetensors = getattr(info, "safetensors", None)
    params = round(safetensors.total / 1e9, 2) if safetensors and getattr(safetensors, "total", None) else None
    if params is None:
        unknown.append("params_total_b")
    arch = architecture_from_config(config) if config else {}
    if not arch:
        unknown.append("architecture (config.json not readable)")
    context = _text_config(config).get("max_position_embeddings") if config else None
    if context is None:
        unknown.append("context_length")
    modalities = ["text"] + (["image"] if config and "vision_config" in config else [])
    gated = bool(getattr(info, "gated", False))
    created = getattr(info, "created_at", None)
    sources = [{"url": f"{endpoint}/{repo}", "retrieved": today, "note": "model card: licence tag, languages"},
               {"url": f"{endpoint}/api/models/{repo}", "retrieved": today,
                "note": "Hub model API: gating, safetensors parameter total, creation date"}]
    if config:
        sources.append({"url": f"{endpoint}/{repo}/blob/main/config.json", "retrieved": today,
                        "note": "config.json: architecture and max_position_embeddings"})
    return {
        "id": name.lower(),
        "name": name,
        "hf_repo": repo,
        "publisher": publisher or org.lower(),
        "licence": licence or "unknown",
        "hf_licence": tag or "unknown",
        "family": name,
        "variant": "instruct" if re.search(r"instruct|chat|-it\b", name, re.I) else "base",
        "release": created.strftime("%Y-%m") if created else today.strftime("%Y-%m"),
        "params_total_b": params,
        "architecture": arch,
        "context_length": context,
        "modalities": modalities,
        "tasks": ["chat"],
        "languages": languages,
        "gated": gated,
        "eu_gated": bool(card.get("extra_gated_eu_disallowed", False)),
        "openness": {"weights": "gated" if gated else "open"},
        "notes": f"Draft from the Hub on {today.isoformat()} by 'advisor catalogue import': review every field "
                 "in 'unknown' against the model card and licence text before use. The release month is the "
                 "repository's creation month.",
        "unknown": unknown,
        "sources": sources,
        "reviewed": today,
    }


def write_draft(draft: dict[str, Any], root: Path) -> Path:
    """Validate the draft and write it atomically to root/models/<publisher>/<id>.yaml."""
    ModelEntry.model_validate(draft)
    path = root / "models" / draft["publisher"] / f"{draft['id']}.yaml"
    if path.exists():
        raise AdvisorError([Problem("exists already; edit it instead of importing again", file=str(path))])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(dump(draft))
    os.replace(tmp, path)
    return path


def dump(draft: dict[str, Any]) -> str:
    return yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class Drift:
    model: str
    field: str
    catalogue: Any
    hub: Any

    def render(self) -> str:
        return f"{self.model}: {self.field}: catalogue {self.catalogue!r}, Hub {self.hub!r}"


def check(catalogue: Catalogue, model_ids: list[str] | None = None) -> list[Drift]:
    """Differences between catalogue entries and what the Hub states now."""
    drifts: list[Drift] = []
    for mid in model_ids or list(catalogue.models):
        m = catalogue.model(mid)
        info, config = fetch(m.hf_repo)
        card = _card(info)
        if card.get("license") and m.hf_licence not in ("unknown", card.get("license")):
            drifts.append(Drift(mid, "hf_licence", m.hf_licence, card.get("license")))
        if bool(getattr(info, "gated", False)) != m.gated:
            drifts.append(Drift(mid, "gated", m.gated, bool(getattr(info, "gated", False))))
        safetensors = getattr(info, "safetensors", None)
        total = getattr(safetensors, "total", None) if safetensors else None
        if total and m.params_total_b and abs(total / 1e9 - m.params_total_b) / m.params_total_b > 0.03:
            drifts.append(Drift(mid, "params_total_b", m.params_total_b, round(total / 1e9, 2)))
        if config:
            arch = architecture_from_config(config)
            for key in ("num_hidden_layers", "num_key_value_heads", "head_dim"):
                ours = getattr(m.architecture, key)
                if ours is not None and key in arch and arch[key] != ours:
                    drifts.append(Drift(mid, f"architecture.{key}", ours, arch[key]))
            ctx = _text_config(config).get("max_position_embeddings")
            if ctx and m.context_length and ctx != m.context_length and ctx != m.native_context_length:
                drifts.append(Drift(mid, "context_length", m.context_length, ctx))
    return drifts

"""Rows of ``advisor catalogue list --kind ...``: one dict per item for JSON, and the columns the
80-column table shows (ids are never cut; other cells wrap)."""

from __future__ import annotations

from typing import Any

from .catalogue import Catalogue

KINDS = ("models", "licences", "publishers", "hardware", "hosting")


def model_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for m in catalogue.models.values():
        lic = catalogue.licence_facts[m.id]
        pub = catalogue.publishers[m.publisher]
        rows.append({
            "id": m.id, "name": m.name, "hf_repo": m.hf_repo, "publisher": m.publisher,
            "publisher_country": pub.country, "licence": m.licence, "hf_licence": m.hf_licence,
            "commercial_use": lic.clauses.commercial_use, "params_total_b": m.params_total_b,
            "params_active_b": m.params_active_b, "context_length": m.context_length,
            "num_hidden_layers": m.architecture.num_hidden_layers,
            "num_key_value_heads": m.architecture.num_key_value_heads, "head_dim": m.architecture.head_dim,
            "modalities": list(m.modalities), "languages": list(m.languages), "release": m.release,
            "variant": m.variant, "built_for": m.built_for, "inherited_licences": list(m.inherited_licences),
            "reviewed": m.reviewed.isoformat(),
            "rankable": not (m.missing_facts or m.not_rankable),
            "not_rankable": m.not_rankable or (", ".join(m.missing_facts) if m.missing_facts else None),
            "evidence": {fact: grade for fact, grade, _ in m.evidence},
            "superseded_by": m.superseded_by,
        })
    return rows


def licence_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for lic in catalogue.licences.values():
        c = lic.clauses
        rows.append({
            "id": lic.id, "name": lic.name, "spdx": lic.spdx, "osi_approved": lic.osi_approved,
            "commercial_use": c.commercial_use, "attribution": c.attribution,
            "acceptable_use_policy": c.acceptable_use_policy, "remote_restriction": c.remote_restriction,
            "territory_exclusions": [t for ex in c.territory_exclusions for t in ex.territories],
            "revenue_cap": c.revenue_cap.model_dump(mode="json") if c.revenue_cap else None,
            "user_cap": c.user_cap, "governing_law": c.governing_law, "patent_grant": c.patent_grant,
            "url": lic.url,
            "models": sorted(m.id for m in catalogue.models.values() if m.licence == lic.id),
        })
    return rows


def publisher_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [{
        "id": p.id, "name": p.name, "country": p.country, "in_eu": p.in_eu,
        "models": sum(1 for m in catalogue.models.values() if m.publisher == p.id),
        "sources": [s.url for s in p.sources],
    } for p in catalogue.publishers.values()]


def hardware_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [{
        "id": h.id, "name": h.name, "vendor": h.vendor, "kind": h.kind, "class": h.hardware_class,
        "memory_gb": h.memory_gb, "bandwidth_gbps": h.bandwidth_gbps, "tflops_bf16": h.tflops_bf16,
        "tflops_fp8": h.tflops_fp8, "power_w": h.power_w, "price_eur": h.price_eur, "sold_as": h.sold_as,
        "price_date": h.price_date.isoformat() if h.price_date else None,
        "sources": [s.url for s in h.sources],
    } for h in catalogue.hardware.values()]


def hosting_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for o in catalogue.offers.values():
        price = o.eur_per_million_tokens
        rows.append({
            "id": o.id, "provider": o.provider, "provider_country": o.provider_country, "kind": o.kind,
            "accelerator": o.accelerator, "count": o.count, "eur_per_hour": o.eur_per_hour,
            "eur_per_month": o.eur_per_month,
            "eur_per_million_tokens": price.model_dump(mode="json") if price else None,
            "setup_fee_eur": o.setup_fee_eur, "minimum_term_months": o.minimum_term_months,
            "certifications": list(o.certifications), "cloud_act_exposed": o.cloud_act, "region": o.region,
            "region_country": o.region_country, "models": list(o.models),
            "price_date": o.price_date.isoformat() if o.price_date else None,
            "sources": [s.url for s in o.sources],
        })
    return rows


ROWS = {"models": model_rows, "licences": licence_rows, "publishers": publisher_rows,
        "hardware": hardware_rows, "hosting": hosting_rows}

#: (key, header, share) of the table columns per kind: columns with a share divide the width the
#: others leave and wrap; the others take their widest cell. An id is never cut: model and hardware
#: ids keep one line, long hosting-offer ids wrap.
COLUMNS = {
    "models": [("id", "id", 0), ("licence", "licence", 1), ("commercial_use", "comm.", 0), ("params_total_b", "B", 0),
               ("context_length", "ctx", 0)],
    "licences": [("id", "id", 3), ("commercial_use", "comm.", 0), ("attribution", "attrib.", 0),
                 ("territory_exclusions", "excludes", 1), ("osi_approved", "OSI", 0)],
    "publishers": [("id", "id", 3), ("country", "country", 0), ("in_eu", "EU", 0), ("models", "models", 0)],
    "hardware": [("id", "id", 0), ("kind", "kind", 0), ("memory_gb", "GB", 0), ("bandwidth_gbps", "GB/s", 0),
                 ("tflops_bf16", "TFLOPS", 0), ("price_eur", "€", 0)],
    "hosting": [("id", "id", 3), ("kind", "kind", 0), ("price", "price", 0), ("certifications", "cert.", 1),
                ("cloud_act_exposed", "CLOUD", 0)],
}
KIND_WORDS = {"gpu_instance": "GPU/h", "bare_metal": "server", "managed_api": "API"}


def table_cell(kind: str, row: dict[str, Any], key: str) -> str:
    if kind == "hosting" and key == "price":
        if row["eur_per_million_tokens"]:
            p = row["eur_per_million_tokens"]
            return f"€{p['input']:g}/{p['output']:g} /M"
        if row["eur_per_month"]:
            return f"€{row['eur_per_month']:,.0f}/mo"
        return f"€{row['eur_per_hour']:g}/h" if row["eur_per_hour"] else ""
    value = row.get(key)
    if kind == "hosting" and key == "kind":
        return KIND_WORDS.get(value, str(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "commercial_use":
        return {"restricted": "restr."}.get(str(value), str(value))
    if key == "context_length" and isinstance(value, int):
        return f"{value // 1024}K" if value >= 1024 else str(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:g}"
    return str(value)

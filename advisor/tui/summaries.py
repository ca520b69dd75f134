"""One line per step saying what it holds, for 'Edit answers' (no textual import)."""

from __future__ import annotations

from typing import Any

from ..schema.iso import country_name, language_name
from ..schema.requirements import HardwareRef, Requirements
from .glossary import hardware_label
from .numbers import shown


def hardware_text(req: Requirements, catalogue: Any) -> str:
    if not req.hosting.hardware:
        return "no hardware yet"
    parts = []
    for h in req.hosting.hardware:
        if isinstance(h, HardwareRef):
            hw = catalogue.hardware.get(h.accelerator)
            name = hardware_label(hw.name, hw.memory_gb) if hw else h.accelerator
        else:
            name = f"{h.name} ({h.memory_gb:g} GB)"
        parts.append(f"{h.count}× {name}")
    return " + ".join(parts)


def step_lines(req: Requirements, catalogue: Any) -> list[str]:
    v = catalogue.vocabulary
    org, uc, data, reg = req.organisation, req.use_case, req.data, req.regulation
    lic, sov, host, budget = req.licence, req.sovereignty, req.hosting, req.budget
    who = ", ".join(x for x in (org.name, country_name(org.country) if org.country else None,
                                v.sectors[org.sector].label if org.sector in v.sectors else org.sector,
                                f"{org.employees:,} employees" if org.employees else None) if x)
    tasks = ", ".join(v.tasks[t].label if t in v.tasks else t for t in uc.tasks)
    langs = ", ".join(language_name(c) for c in uc.languages)
    use = f"{tasks}; {langs}; {uc.context_tokens:,} tokens; {uc.concurrent_users:,} users"
    flags = [x for x, on in (("personal data", data.personal_data), ("special categories", data.special_category),
                             ("medical purpose", reg.medical_purpose)) if on]
    dat = ", ".join([*flags, data.confidentiality, {"deployer": "you use it", "provider": "you offer it",
                                                     "both": "you offer and use it"}[reg.role]])
    region = {"any": "any publisher", "eu_preferred": "EU publishers preferred",
              "eu_required": "EU publishers only"}[sov.publisher_region]
    licence = f"{len(lic.accept)} of 7 conditions accepted; {region}"
    if sov.excluded_countries:
        licence += "; not " + ", ".join(sov.excluded_countries)
    mode = v.hosting_modes[host.mode].label if host.mode in v.hosting_modes else host.mode
    hosting = f"{mode}; {hardware_text(req, catalogue)}"
    money = "; ".join([
        f"{shown(budget.monthly_eur, money=True)} a month" if budget.monthly_eur is not None else "no monthly limit",
        f"{shown(budget.hardware_eur, money=True)} for hardware" if budget.hardware_eur is not None
        else "no hardware limit"])
    body = [who or "not stated yet", use, dat, licence, hosting, money]
    titles = ("Organisation", "Use case", "Data and regulation", "Licence and sovereignty", "Hosting and hardware",
              "Budget and priorities")
    return [f"{i + 1} {t}: {b}" for i, (t, b) in enumerate(zip(titles, body, strict=True))]

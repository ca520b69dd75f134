"""``advisor mcp``: a stdio Model Context Protocol server (official MCP Python SDK), so an AI
assistant can ask advisor about licences, sovereignty and fit instead of guessing.

Tools:
- ``advise``: a requirements object (the same as a requirements file) -> the condensed advice (the
  batch row form: top K with scores, deployment, reasons and obligations), or the full advice;
- ``estimate``: model, context, simultaneous requests, optional hardware and weight format ->
  memory and speed;
- ``list_models``: catalogue models filtered by licence class, publisher country, size and modality;
- ``explain_model``: one model's licence clauses (with quotes), publisher, evidence grades and sources.

Input is validated by the same schemas as files; a user mistake comes back as a tool error with the
one-line messages the CLI prints. The catalogue and rules are loaded once per server.
"""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from .._version import __version__
from ..api import parse_requirements
from ..catalogue import Catalogue, load_catalogue
from ..engine.evaluate import Evaluator, check_requirements
from ..engine.loader import RuleSet, load_rules
from ..errors import AdvisorError

INSTRUCTIONS = (
    "advisor recommends open-weight AI models for European organisations: whether the licence allows the "
    "intended use (commercial use, territory exclusions such as Llama's EU clause for multimodal models, "
    "attribution and naming duties), who publishes the model and which law reaches it, whether it runs on given "
    "hardware or rented EU hosting and at what cost, and which AI Act / GDPR duties follow. Call `advise` with a "
    "requirements object (use_case.tasks is the only required field), `explain_model` before stating licence "
    "terms, `estimate` for memory and speed. Not legal advice."
)
LicenceClass = Literal["any", "permissive", "conditional", "non_commercial"]


def build_server(catalogue: Catalogue | None = None, rules: RuleSet | None = None) -> MCPServer:
    catalogue = catalogue or load_catalogue()
    rules = rules or load_rules()
    server = MCPServer(name="advisor", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(description="Rank the catalogue for a requirements object (the same fields as a requirements "
                             "file: organisation, use_case, data, hosting, budget, licence, sovereignty, "
                             "regulation, priorities). Returns the top K models with scores, deployment plan, "
                             "reasons and the obligations; full=true returns the complete advice.")
    def advise(requirements: dict[str, Any], top: int = 3, full: bool = False) -> dict[str, Any]:
        from ..batch import condensed

        try:
            req = parse_requirements(requirements, source="requirements")
            check_requirements(req, catalogue, source="requirements")
            return condensed(Evaluator(req, catalogue, rules), max(1, min(top, 50)), full)
        except AdvisorError as exc:
            raise ToolError(str(exc)) from None

    @server.tool(description="Memory (GB = 10^9 bytes) and decode speed of one catalogue model at a context "
                             "length and number of simultaneous requests, optionally on catalogue hardware "
                             "('nvidia-l40s:2') and in a weight format ('FP8', 'GGUF Q4_K_M').")
    def estimate(model: str, context: int = 8192, users: int = 1, hardware: str | None = None,
                 quant: str | None = None) -> dict[str, Any]:
        from ..estimate import estimate as run
        from ..estimate import parse_hardware

        try:
            if not 256 <= context <= 10_000_000 or not 1 <= users <= 100_000:
                raise ToolError("context must be 256 to 10,000,000 tokens and users 1 to 100,000")
            device = parse_hardware(hardware, catalogue) if hardware else None
            return run(catalogue.model(model), quant=quant, context=context, users=users, device=device)
        except AdvisorError as exc:
            raise ToolError(str(exc)) from None

    @server.tool(description="List catalogue models, filtered: licence_class (permissive = commercial use "
                             "without special conditions, conditional = commercial with conditions such as "
                             "attribution, use policies or caps, non_commercial), publisher_country (ISO code, "
                             "or 'EU' for EU/EEA publishers), min/max total parameters in billions, modality "
                             "(text, image, audio, video).")
    def list_models(licence_class: LicenceClass = "any", publisher_country: str | None = None,
                    min_params_b: float | None = None, max_params_b: float | None = None,
                    modality: str | None = None, rankable_only: bool = True) -> list[dict[str, Any]]:
        out = []
        for m in catalogue.models.values():
            lic = catalogue.licence_facts[m.id].clauses
            pub = catalogue.publishers[m.publisher]
            cls = ("non_commercial" if lic.commercial_use == "no" else
                   "permissive" if lic.commercial_use == "yes" and not lic.acceptable_use_policy
                   and lic.attribution in ("none", "notice") and not lic.territory_exclusions else "conditional")
            if licence_class != "any" and cls != licence_class:
                continue
            if publisher_country and not (pub.in_eu if publisher_country.upper() == "EU"
                                          else (pub.country or "") == publisher_country.upper()):
                continue
            size = m.params_total_b or 0.0
            if (min_params_b is not None and size < min_params_b) or (max_params_b is not None and size > max_params_b):
                continue
            if modality and modality not in m.modalities:
                continue
            if rankable_only and (m.missing_facts or m.not_rankable):
                continue
            out.append({"id": m.id, "name": m.name, "hf_repo": m.hf_repo, "publisher": pub.name,
                        "publisher_country": pub.country, "licence": catalogue.licence_facts[m.id].name,
                        "licence_class": cls, "params_total_b": m.params_total_b,
                        "params_active_b": m.params_active_b, "context_length": m.context_length,
                        "modalities": list(m.modalities), "release": m.release})
        return out

    @server.tool(description="One catalogue model (id or Hugging Face repository): its licence clauses with the "
                             "licence's own words, publisher and jurisdiction, evidence grade of every decision "
                             "fact, and the sources.")
    def explain_model(model: str) -> dict[str, Any]:
        from ..audit import resolve

        entry = resolve(catalogue, model)
        if entry is None:
            raise ToolError(f"model: {model!r} is not in the catalogue")
        facts = catalogue.licence_facts[entry.id]
        pub = catalogue.publishers[entry.publisher]
        grades = entry.fact_grades()
        return {
            "id": entry.id, "name": entry.name, "hf_repo": entry.hf_repo, "release": entry.release,
            "licence": {"name": facts.name, "spdx": facts.spdx, "summary": facts.summary, "url": facts.url,
                        "clauses": facts.clauses.model_dump(mode="json"),
                        "quotes": [q.model_dump(mode="json") for lid in facts.ids
                                   for q in catalogue.licences[lid].quotes]},
            "publisher": {"name": pub.name, "country": pub.country, "in_eu": pub.in_eu,
                          "gpai_code_of_practice": pub.gpai_cop},
            "rankable": not (entry.missing_facts or entry.not_rankable),
            "not_rankable": entry.not_rankable,
            "evidence": grades,
            "superseded_by": entry.superseded_by,
            "sources": [s.model_dump(mode="json") for s in entry.sources],
        }

    return server


def serve(catalogue: Catalogue | None = None, rules: RuleSet | None = None) -> None:
    """Run the server on standard input and output until the client disconnects."""
    build_server(catalogue, rules).run("stdio")

"""``advisor recommend FILE --format cyclonedx``: a CycloneDX 1.6 ML-BOM of the recommended models.

One ``machine-learning-model`` component per ranked model (the top K): the Hugging Face
repository as purl and external reference, the licence (an SPDX id, or the catalogue's
``LicenseRef-`` expression where SPDX has none), the publisher as supplier, a model card
(parameters, architecture, modalities, context, tasks) and the chosen deployment, the reasons
and the obligations as ``advisor:`` properties. Built with cyclonedx-python-lib; the model card,
which that library does not model yet, is added to its JSON output and the result is validated
against the CycloneDX 1.6 schema. Deterministic: the serial number derives from the advice and
the timestamp is the catalogue's review date.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from cyclonedx.model import ExternalReference, ExternalReferenceType, Property, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.spdx import is_supported_id
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL

from .._version import __version__
from ..catalogue import Catalogue
from ..schema.advice import Advice, RankedModel

NAMESPACE = uuid.UUID("6f1c1b2e-3c55-4b8e-9a3e-2f1d6d5c9a10")


def ml_bom(advice: Advice, catalogue: Catalogue, top: int | None = None) -> str:
    """The ML-BOM as JSON text (validated against the CycloneDX 1.6 schema)."""
    ranking = advice.ranking[:top] if top else advice.ranking
    bom = Bom(serial_number=uuid.uuid5(NAMESPACE, advice.to_json()))
    bom.metadata.timestamp = dt.datetime.fromisoformat(advice.catalogue.reviewed).replace(tzinfo=dt.UTC)
    bom.metadata.properties.update([
        Property(name="advisor:version", value=__version__),
        Property(name="advisor:catalogue_reviewed", value=advice.catalogue.reviewed),
        *(Property(name="advisor:obligation", value=f"{o.article}: {o.message}") for o in advice.obligations),
    ])
    for r in ranking:
        bom.components.add(_component(r, catalogue))
    data = json.loads(JsonV1Dot6(bom).output_as_string())
    cards = {r.model: _model_card(r, catalogue) for r in ranking}
    for c in data.get("components", []):
        c["modelCard"] = cards[c["bom-ref"]]
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:  # a bug in this module, not a user error
        raise RuntimeError(f"the ML-BOM does not validate against CycloneDX 1.6: {error}")
    return text


def _component(r: RankedModel, catalogue: Catalogue) -> Component:
    m = catalogue.models[r.model]
    lic = catalogue.licence_facts[r.model]
    pub = catalogue.publishers[m.publisher]
    owner, name = m.hf_repo.split("/", 1)
    licences: list[Any] = []
    for lid in [m.licence, *m.inherited_licences]:
        spdx = catalogue.licences[lid].spdx
        if is_supported_id(spdx):
            licences.append(DisjunctiveLicense(id=spdx))
        else:
            licences.append(LicenseExpression(value=spdx))
    props = [
        Property(name="advisor:rank", value=str(r.rank)),
        Property(name="advisor:score", value=f"{r.score:g}"),
        *(Property(name=f"advisor:score:{dim}", value=f"{v:g}") for dim, v in r.scores.items()),
        Property(name="advisor:licence", value=lic.name),
        Property(name="advisor:licence:commercial_use", value=lic.clauses.commercial_use),
        Property(name="advisor:publisher_country", value=pub.country or "international"),
        Property(name="advisor:release", value=m.release),
        *(Property(name="advisor:reason", value=f"[{x.dimension} {x.points:+g}] {x.message}") for x in r.reasons),
        *(Property(name="advisor:warning", value=w.message) for w in r.warnings),
        *(Property(name="advisor:obligation", value=f"{o.article}: {o.message}") for o in r.obligations),
    ]
    d = r.deployment
    if d is not None:
        props += [Property(name=f"advisor:deployment:{k}", value=str(v)) for k, v in (
            ("hosting", d.hosting), ("hardware", d.hardware), ("engine", d.engine), ("weights_format", d.weights_format),
            ("weights_repo", d.weights_repo), ("memory_gb", d.memory_gb), ("tokens_per_s", d.tokens_per_s),
            ("monthly_cost_eur", d.monthly_cost_eur), ("purchase_eur", d.purchase_eur), ("cost_basis", d.cost_basis),
            ("command", d.command)) if v not in (None, "")]
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL, name=name, group=owner, bom_ref=r.model,
        purl=PackageURL(type="huggingface", namespace=owner, name=name),
        supplier=OrganizationalEntity(name=pub.name),
        licenses=licences,
        description=f"{m.name}: {lic.summary}"[:2000],
        external_references=[
            ExternalReference(type=ExternalReferenceType.DISTRIBUTION, url=XsUri(f"https://huggingface.co/{m.hf_repo}")),
            ExternalReference(type=ExternalReferenceType.LICENSE, url=XsUri(lic.url)),
        ],
        properties=props,
    )


def _model_card(r: RankedModel, catalogue: Catalogue) -> dict[str, Any]:
    m = catalogue.models[r.model]
    a = m.architecture
    arch = "mixture-of-experts transformer" if m.is_moe else "transformer"
    if a.attention in ("hybrid", "mla"):
        arch += f" ({a.attention} attention)"
    properties = [{"name": k, "value": str(v)} for k, v in (
        ("parameters_total_billion", m.params_total_b), ("parameters_active_billion", m.params_active_b),
        ("context_length_tokens", m.context_length), ("layers", a.num_hidden_layers),
        ("key_value_heads", a.num_key_value_heads), ("weights_dtype", m.weights_dtype),
        ("languages", ", ".join(m.languages)), ("variant", m.variant)) if v not in (None, "")]
    return {
        "modelParameters": {
            "task": ", ".join(m.tasks),
            "architectureFamily": m.family,
            "modelArchitecture": arch,
            "inputs": [{"format": x} for x in m.modalities],
            "outputs": [{"format": "text"}],
        },
        "considerations": {"useCases": [t.replace("_", " ") for t in m.tasks]},
        "properties": properties,
    }

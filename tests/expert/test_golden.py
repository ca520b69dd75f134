"""Golden expert profiles: for each realistic SME profile, the picks an inference engineer and an
EU technology lawyer would accept first, and the picks that must never reach the top three. The
expectations were written before running advisor on the profile; see each file's `why` and
`sources`. When a profile fails, fix the cause (data, plans, scoring), not the expectation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import advisor

PROFILES = sorted((Path(__file__).parent / "profiles").glob("*.yaml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine():
    return advisor.load_catalogue(), advisor.load_rules()


def test_enough_varied_profiles():
    profiles = [load(p) for p in PROFILES]
    assert len(profiles) >= 25
    languages = {lang for p in profiles for lang in p["requirements"]["use_case"].get("languages", ["en"])}
    assert {"pl", "el", "fi", "hu"} <= languages and {"eu", "gl"} & languages
    tasks = {t for p in profiles for t in p["requirements"]["use_case"]["tasks"]}
    assert {"code", "vision", "extraction", "translation", "document_qa", "agents"} <= tasks
    modes = {p["requirements"].get("hosting", {}).get("mode", "any") for p in profiles}
    assert {"on_premises", "eu_cloud", "eu_sovereign_cloud"} <= modes
    assert all(p["acceptable_first"] and p["why"] and p["sources"] for p in profiles)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_golden_profile(path, engine):
    profile = load(path)
    catalogue, rules = engine
    for mid in profile["acceptable_first"] + profile["never_top3"]:
        assert mid in catalogue.models, f"{path.name}: {mid} is not in the catalogue"
    advice = advisor.advise(profile["requirements"], catalogue=catalogue, rules=rules)
    top = [r.model for r in advice.ranking[:5]]
    shown = ", ".join(f"{r.model} {r.score}" for r in advice.ranking[:5])
    assert advice.ranking, f"{path.name}: no model ranked"
    assert top[0] in profile["acceptable_first"], f"{path.name}: #1 is {top[0]}; top 5: {shown}"
    bad = [m for m in top[:3] if m in profile["never_top3"]]
    assert not bad, f"{path.name}: {bad} in the top 3; top 5: {shown}"

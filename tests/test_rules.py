"""Rules: every rule's example cases (collected one test per case), the loader's checks,
and the known-bad rule fixtures."""

from __future__ import annotations

import pytest
import yaml
from conftest import DATA, ROOT, run_cli

import advisor
from advisor.engine.loader import load_rules
from advisor.engine.ruletests import load_cases, run_case

RULES = load_rules()
CASES = [(rule, case) for rule in RULES.rules for case in load_cases(rule).cases]


def test_every_rule_has_cases_both_ways():
    for rule in RULES.rules:
        tests = load_cases(rule)  # raises unless >= 1 match and >= 1 no-match
        assert len(tests.cases) >= 2, rule.id


def test_rule_files_are_unique_and_named_after_their_id():
    paths = sorted((ROOT / "rules").rglob("*.yaml"))
    rule_files = [p for p in paths if not p.name.endswith(".test.yaml") and p.name != "dimensions.yaml"]
    assert len(rule_files) == len(RULES.rules)
    for p in rule_files:
        assert p.with_name(p.stem + ".test.yaml").exists(), f"{p} has no test file"
        assert yaml.safe_load(p.read_text(encoding="utf-8"))["id"] == p.stem


def test_every_rule_has_references_and_exclusions_say_why():
    for rule in RULES.rules:
        assert rule.rule.references
        if rule.rule.effect.exclude:
            assert rule.rule.short, f"{rule.id}: exclusion rules need a short cause for the summary"


@pytest.mark.parametrize("rule,case", CASES, ids=[f"{r.id}:{c.name}" for r, c in CASES])
def test_rule_case(rule, case, catalogue):
    fired, message, points = run_case(rule, case, catalogue, RULES)
    if case.todo:
        pytest.xfail("known gap (todo: true)")
    assert fired == case.expect.matches, message
    if fired and case.expect.message_contains:
        assert case.expect.message_contains in message
    if fired and case.expect.points is not None:
        assert points == case.expect.points


def test_rules_test_command_passes():
    result = run_cli("rules", "test")
    assert result.returncode == 0, result.stderr
    assert "0 failed" in result.stdout


EXPECTED = yaml.safe_load((DATA / "bad" / "rules" / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_bad_rule_overlay(name):
    spec = EXPECTED[name]
    overlay = DATA / "bad" / "rules" / name
    if "load" in spec:
        with pytest.raises(advisor.RuleError) as exc:
            load_rules(overlay)
        text = str(exc.value)
        assert spec["load"] in text
        assert str(overlay) in text  # the error names the file
        result = run_cli("--rules", str(overlay), "rules", "list")
        assert result.returncode == 2 and "Traceback" not in result.stderr
    else:
        result = run_cli("--rules", str(overlay), "rules", "test")
        assert result.returncode == 2
        assert spec["test"] in result.stderr


def test_overlay_overrides_by_id(tmp_path, catalogue):
    d = tmp_path / "policy"
    d.mkdir()
    (d / "publisher-eu-required.yaml").write_text(
        "id: publisher-eu-required\ndimension: sovereignty\n"
        "description: Our policy excludes every publisher outside the EU, whatever the requirements say.\n"
        "match: {field: publisher.in_eu, op: eq, value: false}\neffect: {exclude: true}\n"
        "message: '{publisher.name} is outside the EU (company policy)'\nshort: company policy\n"
        "references: ['https://example.org/policy']\nowner: ACME legal\n", encoding="utf-8")
    (d / "apache-mit-only.yaml").write_text(
        "id: apache-mit-only\ndimension: licence\ndescription: Only Apache-2.0 or MIT licences are allowed here.\n"
        "match: {field: licence.id, op: not_in, value: [apache-2.0, mit]}\neffect: {exclude: true}\n"
        "message: '{licence.name} is not on our list'\nshort: not Apache-2.0 or MIT\n"
        "references: ['https://example.org/policy']\n", encoding="utf-8")
    rules = load_rules(d)
    assert len(rules.rules) == len(RULES.rules) + 1
    assert rules.by_id("publisher-eu-required").rule.owner == "ACME legal"
    advice = advisor.advise({"use_case": {"tasks": ["chat"]}}, rules=rules)
    for r in advice.ranking:
        model = catalogue.models[r.model]
        assert catalogue.publishers[model.publisher].in_eu
        assert model.licence in ("apache-2.0", "mit")

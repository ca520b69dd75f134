"""Requirements schema v1: defaults, validation, and the known-bad files."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError
from conftest import DATA, EXAMPLES, run_cli

import advisor
from advisor.api import parse_requirements
from advisor.schema.requirements import DEFAULT_ACCEPT, Requirements


def test_only_tasks_is_required():
    req = Requirements.model_validate({"use_case": {"tasks": ["chat"]}})
    assert req.schema_version == 1
    assert req.use_case.languages == ["en"]
    assert req.use_case.context_tokens == 8192
    assert req.hosting.mode == "any"
    assert tuple(req.licence.accept) == DEFAULT_ACCEPT
    assert "remote_restriction" in req.licence.accept  # a warned condition, not an exclusion, by default
    assert req.priorities.openness == 1 and req.priorities.licence == 3
    with pytest.raises(advisor.RequirementsError) as exc:
        parse_requirements({})
    assert exc.value.problems[0].field == "use_case"


def test_requirements_are_immutable_and_replace_validates():
    req = Requirements.model_validate({"use_case": {"tasks": ["chat"]}})
    with pytest.raises(ValidationError):
        req.use_case.tasks = ["code"]  # type: ignore[misc]
    changed = req.replace(**{"budget.monthly_eur": 900, "hosting.mode": "eu_cloud"})
    assert changed.budget.monthly_eur == 900 and changed.hosting.mode == "eu_cloud"
    assert req.budget.monthly_eur is None
    with pytest.raises(ValidationError):
        req.replace(**{"hosting.mode": "moon"})


def test_inline_and_catalogue_hardware():
    req = Requirements.model_validate({
        "use_case": {"tasks": ["chat"]},
        "hosting": {"hardware": [{"accelerator": "nvidia-l40s", "count": 2},
                                 {"name": "office server", "kind": "cpu", "memory_gb": 64, "bandwidth_gbps": 80}]},
    })
    ref, inline = req.hosting.hardware
    assert ref.accelerator == "nvidia-l40s" and ref.count == 2  # type: ignore[union-attr]
    assert inline.kind == "cpu" and inline.count == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("path", sorted((EXAMPLES / "requirements").glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_are_valid(path):
    req = advisor.load_requirements(path)
    assert req.organisation.country in {"DE", "FR", "AT"}
    assert req.use_case.tasks


EXPECTED = yaml.safe_load((DATA / "bad" / "requirements" / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_bad_requirements_file(name):
    spec = EXPECTED[name]
    rel = f"tests/data/bad/requirements/{name}"
    result = run_cli("recommend", rel, "--format", "json")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith(f"error: {rel}") for line in lines), lines
    matching = [line for line in lines if spec["contains"] in line]
    assert matching, f"{spec['contains']!r} not in {lines}"
    if "line" in spec:
        assert matching[0].startswith(f"error: {rel}:{spec['line']}: "), matching[0]


def test_python_tags_are_never_executed(tmp_path):
    target = tmp_path / "pwned"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f'use_case: {{tasks: [chat]}}\norganisation:\n  name: !!python/object/apply:os.system ["touch {target}"]\n',
                   encoding="utf-8")
    result = run_cli("recommend", str(bad), "--format", "json")
    assert result.returncode == 2
    assert not target.exists()


def test_oversized_file_is_rejected_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("use_case: {tasks: [chat]}\n")
        fh.write("# padding\n" * 600_000)
    result = run_cli("recommend", str(big), "--format", "json")
    assert result.returncode == 2
    assert "the limit is 5,000,000 bytes" in result.stderr


@pytest.mark.parametrize("target,message", [("missing.yaml", "no such file"), (".", "is a directory")])
def test_missing_file_and_directory(target, message, tmp_path):
    result = run_cli("recommend", str(tmp_path / target), "--format", "json")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr

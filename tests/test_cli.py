"""The command line as users meet it: formats, exit codes, contracts."""

from __future__ import annotations

import json
import os

import pytest
from conftest import EXAMPLES, ROOT, run_cli

import advisor

CLINIC = str(EXAMPLES / "requirements" / "clinic.yaml")


def test_version_and_help():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"advisor {advisor.__version__}"
    result = run_cli()  # not a terminal: help, not the wizard
    assert result.returncode == 0 and "recommend" in result.stdout


def test_recommend_json_matches_the_python_api():
    result = run_cli("recommend", CLINIC, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads(advisor.advise(CLINIC).to_json())
    assert {"schema_version", "advisor_version", "catalogue", "requirements", "ranking", "excluded", "obligations",
            "summary"} <= set(data)
    first = data["ranking"][0]
    assert {"rank", "model", "name", "hf_repo", "score", "scores", "deployment", "reasons", "warnings"} <= set(first)
    assert {"quantization", "memory_gb", "hardware", "hosting", "monthly_cost_eur", "tokens_per_s",
            "context_tokens"} <= set(first["deployment"])
    assert set(first["reasons"][0]) >= {"rule", "dimension", "points", "message", "sources"}


def test_recommend_top_and_other_formats():
    data = json.loads(run_cli("recommend", CLINIC, "--format", "json", "--top", "2").stdout)
    assert len(data["ranking"]) == 2
    md = run_cli("recommend", CLINIC, "--format", "markdown").stdout
    assert md.startswith("# Model recommendation") and "## Not eligible" in md and "## Your obligations" in md
    html = run_cli("recommend", CLINIC, "--format", "html").stdout
    assert html.startswith("<!doctype html>") and "<script" not in html
    table = run_cli("recommend", CLINIC, env={"COLUMNS": "80"}).stdout
    assert "Recommendation" in table and "Ranking" in table
    assert max(len(line) for line in table.splitlines()) <= 80


def test_recommend_from_another_directory(tmp_path):
    result = run_cli("recommend", CLINIC, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0


def test_usage_errors_exit_2():
    assert run_cli("recommend").returncode == 2
    assert run_cli("recommend", CLINIC, "--top", "0").returncode == 2
    assert run_cli("schema", "nonsense").returncode == 2


@pytest.mark.parametrize("name", ["requirements", "catalogue", "advice", "rules"])
def test_schema_command(name):
    schema = json.loads(run_cli("schema", name).stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "properties" in schema or "$defs" in schema


def test_catalogue_show_and_unknown_id():
    out = run_cli("catalogue", "show", "mistral-7b-instruct-v0.3", "--format", "json")
    data = json.loads(out.stdout)
    assert data["model"]["hf_repo"] == "mistralai/Mistral-7B-Instruct-v0.3"
    assert data["licence"]["id"] == "apache-2.0" and data["publisher"]["country"] == "FR"
    bad = run_cli("catalogue", "show", "mistral-7b-instruct")
    assert bad.returncode == 2 and "did you mean 'mistral-7b-instruct-v0.3'" in bad.stderr


def test_rules_list():
    rows = json.loads(run_cli("rules", "list", "--format", "json").stdout)
    assert len(rows) == len(advisor.load_rules().rules)
    assert {"licence", "sovereignty", "compute", "capability", "cost", "openness", "obligations"} == {
        r["dimension"] for r in rows}


def test_estimate_contract_and_reference():
    out = run_cli("estimate", "llama-3.1-8b-instruct", "--quant", "Q4_K_M", "--context", "8192", "--format", "json")
    data = json.loads(out.stdout)
    assert data["kv_cache_gb"] == pytest.approx(1.074, abs=0.001)
    assert data["weights_gb"] == pytest.approx(4.9, abs=0.05)
    assert data["units"] == "GB = 10^9 bytes"
    with_hw = json.loads(run_cli("estimate", "llama-3.1-8b-instruct", "--hardware", "nvidia-rtx-4090:1", "--users",
                                 "4", "--format", "json").stdout)
    assert {"fits", "tokens_per_s", "max_context_tokens", "total_gb", "time_to_first_token_s",
            "sessions_at_full_context", "engine", "weights_format"} <= set(with_hw)
    assert with_hw["fits"] is True and with_hw["engine"] == "vllm"
    ladder = json.loads(run_cli("estimate", "llama-3.1-8b-instruct", "--hardware", "nvidia-l40s", "--ladder",
                                "--kv-cache", "fp8", "--format", "json").stdout)
    assert [r["weights_format"] for r in ladder["ladder"]] == ["BF16", "FP8", "AWQ-INT4", "GPTQ-INT4"]
    assert all({"total_gb", "fits", "tokens_per_s", "sessions_at_full_context"} <= set(r) for r in ladder["ladder"])


@pytest.mark.parametrize("args,message", [
    (["estimate", "no-such-model"], "no model 'no-such-model'"),
    (["estimate", "llama-3.1-8b-instruct", "--hardware", "nvidia-rtx4090"], "did you mean 'nvidia-rtx-4090'"),
    (["estimate", "llama-3.1-8b-instruct", "--quant", "Q4KM"], "unknown weight format 'Q4KM'"),
    (["estimate", "llama-3.1-8b-instruct", "--quant", "AWQ-INT4", "--engine", "llama.cpp"], "does not run on llama.cpp"),
    (["estimate", "llama-3.1-8b-instruct", "--hardware", "nvidia-l40s:0"], "whole number of devices from 1 to 64"),
    (["estimate", "llama-3.1-8b-instruct", "--hardware", "nvidia-l40s:65"], "whole number of devices from 1 to 64"),
    (["estimate", "llama-3.1-8b-instruct", "--context", "0"], "must be from 1 to 10,000,000"),
    (["estimate", "llama-3.1-8b-instruct", "--users", "-3"], "must be from 1 to 100,000"),
])
def test_estimate_bad_input(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_catalogue_overlay_adds_a_model(tmp_path):
    d = tmp_path / "ours" / "models" / "mistral-ai"
    d.mkdir(parents=True)
    src = (ROOT / "tests" / "data" / "catalogue_overlay" / "example-7b.yaml").read_text(encoding="utf-8")
    (d / "example-7b.yaml").write_text(src, encoding="utf-8")
    out = run_cli("--catalogue", str(tmp_path / "ours"), "recommend", CLINIC, "--format", "json")
    data = json.loads(out.stdout)
    ids = [r["model"] for r in data["ranking"]] + [e["model"] for e in data["excluded"]]
    assert "example-7b" in ids and data["catalogue"]["models"] == len(advisor.load_catalogue().models) + 1


def test_wizard_needs_a_terminal():
    result = run_cli("wizard", stdin="")
    assert result.returncode == 2 and "needs an interactive terminal" in result.stderr


@pytest.mark.parametrize("users_value", [None, "logfire"])
def test_entry_point_skips_pydantic_plugins_only_while_it_runs(monkeypatch, capsys, users_value):
    """The command tells pydantic not to look for plugins while it runs (reading every installed
    package's entry points cost a cold start about a twentieth), keeps a value the user set, and
    leaves the environment as it found it."""
    from advisor import _entry, cli

    seen: list[str | None] = []
    monkeypatch.setattr(cli, "main", lambda argv=None: seen.append(os.environ.get(_entry.PLUGINS_VARIABLE)) or 0)
    if users_value is None:
        monkeypatch.delenv(_entry.PLUGINS_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(_entry.PLUGINS_VARIABLE, users_value)
    assert _entry.main(["list"]) == 0
    assert seen == [users_value or "__all__"]
    assert os.environ.get(_entry.PLUGINS_VARIABLE) == users_value


def test_a_command_without_plugins_never_imports_the_plugin_loader():
    """While plugins are disabled, pydantic's plugin loader (and the importlib.metadata it
    imports at its top) is never loaded: a stand-in answers "no plugins" as the real one would."""
    import subprocess
    import sys

    code = ("import sys; from advisor._entry import main; "
            f"code = main(['recommend', {CLINIC!r}, '--format', 'json']); "
            "sys.stderr.write(repr(sorted(m for m in ('importlib.metadata', 'pydantic.plugin._loader') "
            "if m in sys.modules))); sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ranking"]
    assert result.stderr.endswith("[]"), result.stderr


@pytest.mark.parametrize("users_value", ["logfire", ""])
def test_the_plugin_loader_stand_in_defers_to_pydantic_when_plugins_are_wanted(monkeypatch, users_value):
    """A value that does not disable every plugin (a list of names, or empty) is pydantic's to
    read: the stand-in removes itself and the real loader answers; after the command, nothing of
    the stand-in is left."""
    import sys

    from advisor import _entry

    monkeypatch.delitem(sys.modules, _entry.PLUGIN_LOADER, raising=False)
    monkeypatch.setenv(_entry.PLUGINS_VARIABLE, users_value)
    stand_in = _entry._deferred_plugin_loader()
    assert stand_in is not None and sys.modules[_entry.PLUGIN_LOADER] is stand_in
    assert list(stand_in.get_plugins()) == []  # no plugin is installed here
    real = sys.modules[_entry.PLUGIN_LOADER]
    assert real is not stand_in and real.get_plugins is not stand_in.get_plugins
    monkeypatch.setenv(_entry.PLUGINS_VARIABLE, "__all__")
    monkeypatch.delitem(sys.modules, _entry.PLUGIN_LOADER)
    stand_in = _entry._deferred_plugin_loader()
    assert stand_in.get_plugins() == () and sys.modules[_entry.PLUGIN_LOADER] is stand_in
    with _entry._pydantic_plugins_skipped():
        pass  # the real one was never needed: nothing is installed over an existing entry
    assert sys.modules[_entry.PLUGIN_LOADER] is stand_in
    del sys.modules[_entry.PLUGIN_LOADER]
    with _entry._pydantic_plugins_skipped():
        assert sys.modules[_entry.PLUGIN_LOADER].__name__ == _entry.PLUGIN_LOADER
    assert _entry.PLUGIN_LOADER not in sys.modules


@pytest.mark.parametrize("argv", [
    ["recommend", "x.yaml", "--format", "json"], ["--catalogue", "d", "recommend", "x.yaml"],
    ["--catalogue=d", "--rules", "r", "batch", "in.jsonl", "--jobs", "2"], ["--cat", "d", "estimate", "m"],
    ["--catalogue", "recommend", "x.yaml"], ["--catalogue"], ["--catalogue", "-x", "recommend", "f"],
    ["catalogue", "list", "--kind", "hardware"], ["rules", "test", "--rule", "r1"], ["schema", "advice"],
    ["audit", "inv.csv", "--country", "DE"], ["web", "--port", "0"], ["recommend"], ["recommend", "-h"],
    ["-h"], ["--version"], ["--", "recommend", "f"], ["bogus"], ["--verbose", "recommend", "f"], [],
    ["recommend", "f", "--top", "0"], ["catalogue", "nothing"], ["mcp"], ["wizard", "--from", "f"],
])
def test_one_commands_parser_reads_its_arguments_as_the_whole_parser_does(argv, capsys):
    """``advisor recommend ...`` builds only the recommend sub-parser (the others cost a cold
    start about 5 ms): the arguments, errors and help it gives are the whole parser's."""
    from advisor import cli

    def parsed(parser):
        try:
            return vars(parser.parse_args(argv)), capsys.readouterr()
        except SystemExit as exc:
            return exc.code, capsys.readouterr()

    assert parsed(cli.build_parser(only=cli.command_word(argv))) == parsed(cli.build_parser())


def test_every_command_is_known_to_the_command_word():
    from advisor import cli

    sub = next(a for a in cli.build_parser()._actions if a.dest == "command")
    assert tuple(sub.choices) == cli.COMMANDS
    assert all(cli.command_word([name]) == name for name in cli.COMMANDS)

"""Hostile input gives one clear line per problem and exit 2 (robustness review M1, M5-M8, L6-L8)."""

from __future__ import annotations

import json
import os
import time

import pytest
from conftest import DATA, EXAMPLES, assert_clean_errors, run_cli, run_main

import advisor

BAD = DATA / "bad" / "yaml"


@pytest.mark.parametrize("name,expected", [
    ("bad_timestamp.yaml", "4: organisation.name: '2024-13-45' is not a valid date"),
    ("explicit_int_tag.yaml", "3: use_case.concurrent_users: 'abc' is not a valid whole number"),
    ("explicit_bool_tag.yaml", "4: data.personal_data: 'maybe' is not a valid true/false value"),
    ("explicit_timestamp_tag.yaml", "4: organisation.name: 'foo' is not a valid date"),
    ("explicit_float_empty.yaml", "4: budget.monthly_eur: '' is not a valid number"),
    ("int_over_4300_digits.yaml", "(more than 4,300 digits)"),
    ("merge_tag_as_value.yaml", "'<<' may only be used as a key"),
    ("map_tag_on_scalar.yaml", "tag 'map' on a plain value"),
    ("control_char.yaml", "4: malformed YAML: the character U+0000 is not allowed"),
    ("duplicate_key.json", "duplicate key 'use_case'"),
])
def test_yaml_constructor_errors_are_one_line(name, expected):
    code, out, err = run_main("recommend", str(BAD / name), "--format", "json")
    assert code == 2 and out == ""
    assert_clean_errors(err)
    assert len(err.strip().splitlines()) == 1
    assert expected in err


def test_forged_newline_in_a_key_cannot_forge_a_second_line():
    code, _, err = run_main("recommend", str(BAD / "forged_newline_key.yaml"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "bad\\nerror: forged line: unknown field" in err


@pytest.mark.parametrize("where", ["batch", "overlay", "rule-test"])
def test_constructor_errors_in_every_reader(tmp_path, where):
    bad_date = "reviewed: 2024-13-45\n"
    if where == "batch":
        f = tmp_path / "rows.yaml"
        f.write_text("- use_case: {tasks: [chat]}\n  organisation: {name: 2024-02-30}\n", encoding="utf-8")
        code, out, err = run_main("batch", str(f))
        assert code == 2 and "not a valid date" in err and out == ""
    elif where == "overlay":
        src = (advisor.load_catalogue().files["model:mistral-7b-instruct-v0.3"]).read_text(encoding="utf-8")
        d = tmp_path / "overlay" / "models" / "mistral-ai"
        d.mkdir(parents=True)
        (d / "mistral-7b-instruct-v0.3.yaml").write_text(src.replace("reviewed: ", "old: ", 1).replace(
            "\nold: ", "\n" + bad_date + "x_old: ") if False else src.rsplit("reviewed:", 1)[0] + bad_date,
            encoding="utf-8")
        code, _, err = run_main("--catalogue", str(tmp_path / "overlay"), "catalogue", "validate")
        assert code == 2 and "reviewed: '2024-13-45' is not a valid date" in err
        assert_clean_errors(err)
    else:
        rules = tmp_path / "rules" / "misc"
        rules.mkdir(parents=True)
        rule = {"id": "x-org-rule", "dimension": "licence", "description": "An organisation policy for the test.",
                "effect": {"points": -1}, "message": "Policy applies.", "references": ["https://example.org/p"]}
        (rules / "x-org-rule.yaml").write_text(json.dumps(rule), encoding="utf-8")
        (rules / "x-org-rule.test.yaml").write_text("cases:\n- name: a\n  model: !!int abc\n", encoding="utf-8")
        code, _, err = run_main("--rules", str(tmp_path / "rules"), "rules", "test", "--rule", "x-org-rule")
        assert code == 2 and "'abc' is not a valid whole number" in err and "Traceback" not in err


def test_numbers_that_pass_the_schema_never_crash(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("use_case: {tasks: [chat]}\nhosting:\n  mode: on_premises\n  hardware:\n"
                 "  - {name: tiny, kind: gpu, memory_gb: 24, bandwidth_gbps: 5e-324}\n", encoding="utf-8")
    code, _, err = run_main("recommend", str(f))
    assert code == 2 and "bandwidth_gbps" in err and "greater than or equal to 1" in err
    for args in (["--hardware", "nvidia-l40s:1000000"], ["--context", "1" + "0" * 310], ["--users", "0"],
                 ["--users", "100001"]):
        code, _, err = run_main("estimate", "llama-3.1-8b-instruct", *args)
        assert code == 2, args
        assert "internal error" not in err and "Traceback" not in err


def test_api_raises_only_advisor_errors_on_odd_numbers():
    with pytest.raises(advisor.RequirementsError):
        advisor.advise({"use_case": {"tasks": ["chat"]}, "hosting": {"hardware": [
            {"name": "x", "kind": "cpu", "memory_gb": 1e-9, "bandwidth_gbps": 10}]}})


def test_markdown_escapes_html_and_links_from_data(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("organisation: {name: \"<script>alert('org')</script> [x](javascript:alert(1))\"}\n"
                 "use_case: {tasks: [chat]}\nhosting:\n  mode: on_premises\n  hardware:\n"
                 "  - {name: '<b onmouseover=alert(2)>', kind: gpu, memory_gb: 80, bandwidth_gbps: 2000}\n",
                 encoding="utf-8")
    code, out, _ = run_main("recommend", str(f), "--format", "markdown")
    assert code == 0
    assert "<script>" not in out and "<b onmouseover" not in out
    assert "&lt;script&gt;" in out and "\\[x\\](javascript" in out
    html_code, html_out, _ = run_main("recommend", str(f), "--format", "html")
    assert html_code == 0 and "<script>" not in html_out and "<b onmouseover" not in html_out


def test_markdown_link_targets_are_encoded():
    from advisor.render.markdown import link_target

    assert link_target("https://x.example/a)<script>") == "https://x.example/a%29%3Cscript%3E"


def test_terminal_table_prints_names_literally(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("use_case: {tasks: [chat]}\nhosting:\n  mode: on_premises\n  hardware:\n"
                 "  - {name: \"[/] [link=https://evil.example]x \\e[2J\", kind: gpu, memory_gb: 80,"
                 " bandwidth_gbps: 2000}\n", encoding="utf-8")
    result = run_cli("recommend", str(f), env={"COLUMNS": "160"})
    assert result.returncode == 0, result.stderr
    assert "\x1b[2J" not in result.stdout and "\\x1b[2J" in result.stdout
    assert "[/] [link=https://evil.example]x" in result.stdout


def test_long_lists_are_bounded_and_deduplicated(tmp_path):
    f = tmp_path / "many.yaml"
    f.write_text("use_case:\n  tasks: [chat]\n  languages: [" + ", ".join(["de"] * 20000) + "]\n", encoding="utf-8")
    start = time.monotonic()
    code, _, err = run_main("recommend", str(f), "--format", "json")
    assert code == 2 and "use_case.languages" in err and "at most 50" in err
    assert time.monotonic() - start < 30  # generous: the point is no multi-second blow-up per language
    req = advisor.Requirements.model_validate({"use_case": {"tasks": ["chat", "chat"], "languages": ["de", "de"]},
                                               "licence": {"accept": ["naming", "naming"]}})
    assert req.use_case.tasks == ["chat"] and req.use_case.languages == ["de"] and req.licence.accept == ["naming"]


def test_rule_overlay_format_width_is_bounded(tmp_path):
    rules = tmp_path / "rules" / "misc"
    rules.mkdir(parents=True)
    rule = {"id": "x-wide", "dimension": "compute", "description": "A rule with a huge format width.",
            "effect": {"points": 1}, "message": "Needs {deployment.memory_gb:1500000000f} GB.",
            "references": ["https://example.org/p"]}
    (rules / "x-wide.yaml").write_text(json.dumps(rule), encoding="utf-8")
    code, _, err = run_main("--rules", str(tmp_path / "rules"), "recommend", str(EXAMPLES / "requirements" /
                                                                               "clinic.yaml"))
    assert code == 2 and "width and precision must be at most 20" in err


def test_rule_test_patch_of_the_wrong_type_is_an_invalid_case(tmp_path):
    rules = tmp_path / "rules" / "misc"
    rules.mkdir(parents=True)
    rule = {"id": "x-patch", "dimension": "compute", "description": "A rule whose test patches a model.",
            "match": {"field": "model.params_total_b", "op": "gt", "value": 1}, "effect": {"points": 1},
            "message": "A big model.", "references": ["https://example.org/p"]}
    (rules / "x-patch.yaml").write_text(json.dumps(rule), encoding="utf-8")
    cases = {"cases": [
        {"name": "bad patch", "model": "llama-3.1-8b-instruct", "model_patch": {"params_total_b": "abc"},
         "expect": {"matches": True}},
        {"name": "fine", "model": "llama-3.1-8b-instruct", "expect": {"matches": True}},
        {"name": "small", "model": "llama-3.1-8b-instruct", "model_patch": {"params_total_b": 0.5},
         "expect": {"matches": False}}]}
    (rules / "x-patch.test.yaml").write_text(json.dumps(cases), encoding="utf-8")
    code, out, err = run_main("--rules", str(tmp_path / "rules"), "rules", "test", "--rule", "x-patch")
    assert code == 2 and "case 'bad patch': case is invalid" in err and "params_total_b" in err
    assert "1 failed" in out and "Traceback" not in err


def test_non_utf8_stdout_still_writes_utf8(tmp_path):
    result = run_cli("recommend", str(EXAMPLES / "requirements" / "clinic.yaml"), "--format", "json",
                     env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ranking"]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs")
def test_special_files_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "req.yaml"
    os.mkfifo(fifo)
    start = time.monotonic()
    code, _, err = run_main("recommend", str(fifo))
    assert code == 2 and "is not a regular file (a FIFO)" in err
    assert time.monotonic() - start < 10
    code, _, err = run_main("recommend", str(tmp_path))
    assert code == 2 and "is a directory" in err
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    code, _, err = run_main("recommend", str(link))
    assert code == 2 and "a broken symbolic link" in err


def test_reads_are_bounded(tmp_path):
    from advisor.documents import read_bytes

    f = tmp_path / "big.yaml"
    f.write_bytes(b"a" * 1000)
    with pytest.raises(advisor.AdvisorError, match="the limit is 100 bytes"):
        read_bytes(f, max_bytes=100)


def test_unreadable_files_and_overlay_dirs_are_errors(tmp_path, monkeypatch):
    from advisor import documents

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("secret.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    f = tmp_path / "secret.yaml"
    f.write_text("use_case: {tasks: [chat]}\n", encoding="utf-8")
    monkeypatch.setattr(documents.os, "open", refuse)
    code, _, err = run_main("recommend", str(f))
    assert code == 2 and "cannot read it: Permission denied" in err
    monkeypatch.undo()

    overlay = tmp_path / "overlay"
    (overlay / "models" / "occiglot").mkdir(parents=True)
    real_scandir = os.scandir

    def no_listing(path):
        if str(path).endswith("occiglot"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    import advisor.catalogue as catalogue_module

    monkeypatch.setattr(catalogue_module.os, "scandir", no_listing)
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    code, _, err = run_main("--catalogue", str(overlay), "catalogue", "list")
    assert code == 2 and "occiglot: cannot read the directory: Permission denied" in err


def test_hidden_and_dangling_files_in_overlays(tmp_path):
    overlay = tmp_path / "overlay" / "models" / "mistral-ai"
    overlay.mkdir(parents=True)
    (overlay / ".#entry.yaml").symlink_to("user@host.1234:1700000000")  # an editor lock file
    code, _, err = run_main("--catalogue", str(tmp_path / "overlay"), "catalogue", "list", "--format", "json")
    assert code == 0, err
    (overlay / "entry.yaml").symlink_to(tmp_path / "nowhere.yaml")
    code, _, err = run_main("--catalogue", str(tmp_path / "overlay"), "catalogue", "list")
    assert code == 2 and "entry.yaml: a broken symbolic link" in err


@pytest.mark.parametrize("kind", ["fifo", "device_link", "link_loop", "fifo_rule_test"])
def test_special_files_in_overlays_are_refused_without_reading(tmp_path, kind):
    """Overlay and rules directories get the same regular-file check as requirements files,
    before the start-up cache hashes them: a FIFO never blocks, a device is never read, a
    symbolic-link loop is a one-line error (exit 2), with or without the cache."""
    models = tmp_path / "catalogue" / "models" / "mistral-ai"
    rules = tmp_path / "rules" / "licence"
    models.mkdir(parents=True)
    rules.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(models / "entry.yaml")
        args, name = ("--catalogue", str(tmp_path / "catalogue"), "catalogue", "validate"), "entry.yaml"
    elif kind == "device_link":
        (models / "entry.yaml").symlink_to("/dev/zero")
        args, name = ("--catalogue", str(tmp_path / "catalogue"), "catalogue", "validate"), "entry.yaml"
    elif kind == "link_loop":
        (models / "entry.yaml").symlink_to("entry.yaml")
        args, name = ("--catalogue", str(tmp_path / "catalogue"), "catalogue", "validate"), "entry.yaml"
    else:
        os.mkfifo(rules / "mine.yaml")
        args, name = ("--rules", str(tmp_path / "rules"), "rules", "list"), "mine.yaml"
    for env in ({}, {"ADVISOR_NO_CACHE": "1"}):
        result = run_cli(*args, env={**env, "ADVISOR_CACHE_DIR": str(tmp_path / "cache")})
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and "Traceback" not in result.stderr, result.stderr

"""Where users already work: the MCP server, the CycloneDX ML-BOM, the licence audit (with
SARIF) and the wizard in a browser."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli

import advisor

INVENTORY = """\
organisation: {country: DE}
models:
  - {model: meta-llama/Llama-3.2-11B-Vision-Instruct, use: reads scanned invoices}
  - {model: aya-expanse-32b, use: replies in a paid product, end_users: customers}
  - {model: llama-3.1-8b-instruct, use: chatbot on our website, end_users: customers}
  - {model: mistralai/Mistral-Small-3.2-24B-Instruct-2506, use: internal assistant}
  - {model: some-org/our-finetune-7b, use: ticket routing}
"""


# ---------------------------------------------------------------------------- MCP


def _call(server, name, arguments):
    return asyncio.run(server.call_tool(name, arguments))


def _payload(result):
    assert not result.is_error, result.content
    return json.loads(result.content[0].text) if result.structured_content is None else result.structured_content


@pytest.fixture(scope="module")
def server(catalogue):
    from advisor.integrations.mcp_server import build_server

    return build_server(catalogue, advisor.load_rules())


def test_mcp_lists_the_four_tools(server):
    tools = {t.name: t for t in asyncio.run(server.list_tools())}
    assert set(tools) == {"advise", "estimate", "list_models", "explain_model"}
    assert "requirements" in tools["advise"].input_schema["properties"]


def test_mcp_advise_matches_the_library(server):
    req = {"organisation": {"country": "DE"}, "use_case": {"tasks": ["chat"], "languages": ["de"]}}
    out = _payload(_call(server, "advise", {"requirements": req, "top": 2}))
    out = out.get("result", out)
    expected = advisor.advise(req)
    assert [r["model"] for r in out["ranking"]] == [r.model for r in expected.ranking[:2]]


def test_mcp_bad_input_is_a_tool_error_with_the_one_line_message(server):
    from mcp.server.mcpserver.exceptions import ToolError

    with pytest.raises(ToolError) as exc:
        _call(server, "advise", {"requirements": {"use_case": {"tasks": ["dance"]}}})
    assert "use_case.tasks" in str(exc.value) and "Traceback" not in str(exc.value)


def test_mcp_explain_and_list(server):
    out = _payload(_call(server, "explain_model", {"model": "meta-llama/Llama-3.2-11B-Vision-Instruct"}))
    out = out.get("result", out)
    assert out["id"] == "llama-3.2-11b-vision-instruct"
    assert any("European Union" in q["text"] for q in out["licence"]["quotes"])
    rows = _payload(_call(server, "list_models", {"licence_class": "non_commercial"}))
    rows = rows.get("result", rows)
    assert rows and all(r["licence_class"] == "non_commercial" for r in rows)
    eu = _payload(_call(server, "list_models", {"publisher_country": "EU", "max_params_b": 30}))
    eu = eu.get("result", eu)
    assert eu and all(r["params_total_b"] <= 30 for r in eu)


def test_mcp_over_stdio_subprocess():
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def exchange():
        params = StdioServerParameters(command=sys.executable, args=["-m", "advisor", "mcp"],
                                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            init = await session.initialize()
            tools = await session.list_tools()
            result = await session.call_tool("estimate", {"model": "llama-3.1-8b-instruct", "context": 8192,
                                                          "hardware": "nvidia-l40s"})
            return init, tools, result

    init, tools, result = asyncio.run(asyncio.wait_for(exchange(), 120))
    assert init.server_info.name == "advisor"
    assert {t.name for t in tools.tools} == {"advise", "estimate", "list_models", "explain_model"}
    assert not result.is_error and "fits" in result.content[0].text


# ---------------------------------------------------------------------------- CycloneDX


def test_cyclonedx_ml_bom_validates_and_carries_the_advice(catalogue):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    result = run_cli("recommend", str(EXAMPLES / "requirements" / "clinic.yaml"), "--format", "cyclonedx", "--top", "2")
    assert result.returncode == 0, result.stderr
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(result.stdout) is None
    bom = json.loads(result.stdout)
    assert bom["specVersion"] == "1.6" and len(bom["components"]) == 2
    first = bom["components"][0]
    model = catalogue.models[first["bom-ref"]]
    assert first["type"] == "machine-learning-model"
    assert first["purl"] == f"pkg:huggingface/{model.hf_repo}"
    assert first["licenses"][0]["license"]["id"] == catalogue.licences[model.licence].spdx
    assert first["supplier"]["name"] == catalogue.publishers[model.publisher].name
    assert first["modelCard"]["modelParameters"]["architectureFamily"] == model.family
    names = {p["name"] for p in first["properties"]}
    assert {"advisor:rank", "advisor:score", "advisor:reason", "advisor:deployment:hardware"} <= names
    again = run_cli("recommend", str(EXAMPLES / "requirements" / "clinic.yaml"), "--format", "cyclonedx", "--top", "2")
    assert again.stdout == result.stdout  # deterministic: serial number and timestamp derive from the input


def test_cyclonedx_uses_a_licence_ref_where_spdx_has_no_id():
    req = {"use_case": {"tasks": ["chat"]}, "licence": {"accept": ["attribution", "acceptable_use_policy", "user_cap",
                                                                    "naming", "revenue_cap", "output_restrictions"]}}
    from advisor.integrations.cyclonedx_bom import ml_bom

    catalogue = advisor.load_catalogue()
    advice = advisor.advise(req)
    llama = next(r for r in advice.ranking if r.model == "llama-3.1-8b-instruct")
    bom = json.loads(ml_bom(advice.model_copy(update={"ranking": [llama]}), catalogue))
    assert bom["components"][0]["licenses"][0]["expression"].startswith("LicenseRef-")


# ---------------------------------------------------------------------------- audit


def test_audit_finds_the_traps_with_quotes_and_fixes(tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY, encoding="utf-8")
    result = run_cli("audit", str(path), "--format", "json")
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    by_rule = {(f["row"], f["rule"]): f for f in report["findings"]}
    vision = by_rule[(1, "licence-territory-excluded")]
    assert vision["severity"] == "error" and vision["line"] == 3 and "European Union" in vision["quote"]
    assert vision["fix"] and "vision" in vision["fix"]
    assert by_rule[(2, "licence-non-commercial")]["severity"] == "error"
    assert by_rule[(3, "duty-display-attribution")]["severity"] == "note"
    assert by_rule[(5, "audit-unknown-model")]["severity"] == "unknown"  # never reported clean
    assert not [f for f in report["findings"] if f["row"] == 4 and f["severity"] in ("error", "warning")]


def test_audit_sarif_locates_each_finding(tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY, encoding="utf-8")
    sarif = json.loads(run_cli("audit", str(path), "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(r["fullDescription"]["text"] for r in run["tool"]["driver"]["rules"])
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(path)
        assert res["locations"][0]["physicalLocation"]["region"]["startLine"] >= 3


def test_audit_clean_inventory_exits_0_and_csv_bad_input_exits_2(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("model,use,commercial_use,redistributed\nmistral-small-3.2-24b-instruct-2506,assistant,true,"
                     "false\n", encoding="utf-8")
    result = run_cli("audit", str(clean), "--country", "DE")
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("model,use,commercial_use,redistributed\nqwen2.5-7b-instruct,chat,maybe,false\n", encoding="utf-8")
    result = run_cli("audit", str(bad), "--country", "DE")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {bad}:2: commercial_use: expected true or false, got 'maybe'"


def test_audit_applies_an_organisation_policy_overlay(tmp_path):
    rules = tmp_path / "policy"
    rules.mkdir()
    (rules / "policy-no-cn-publishers.yaml").write_text("""\
id: policy-no-cn-publishers
dimension: sovereignty
description: Our policy forbids models from publishers based in China.
match: {field: publisher.country, op: eq, value: CN}
effect: {exclude: true}
message: '{model.name} comes from a publisher based in China, which our policy forbids.'
references: ['https://example.org/our-ai-policy']
owner: policy
""", encoding="utf-8")
    (rules / "policy-no-cn-publishers.test.yaml").write_text("""\
cases:
- name: Qwen
  model: qwen2.5-7b-instruct
  expect: {matches: true}
- name: Mistral
  model: mistral-small-3.2-24b-instruct-2506
  expect: {matches: false}
""", encoding="utf-8")
    inv = tmp_path / "inv.yaml"
    inv.write_text("organisation: {country: DE}\nmodels:\n  - {model: qwen2.5-7b-instruct, use: chat}\n", encoding="utf-8")
    result = run_cli("--rules", str(rules), "audit", str(inv), "--format", "json")
    assert result.returncode == 3, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert any(f["rule"] == "policy-no-cn-publishers" and f["severity"] == "error" for f in findings)


# ---------------------------------------------------------------------------- web


def _browser() -> str | None:
    return next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()),
                shutil.which("chromium"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_wizard_in_a_browser(tmp_path):
    executable = _browser()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (see .ci/run)")
        pytest.skip("no Chromium on this machine: the browser test runs in CI")
    playwright = pytest.importorskip("playwright.sync_api")
    port = _free_port()
    log = (tmp_path / "web.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "advisor", "--catalogue", str(ROOT / "tests" / "data" /
                               "catalogue_small"), "web", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(tmp_path / "state")})
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".xterm-screen", timeout=30_000)
            page.wait_for_timeout(4000)  # the wizard process starts and draws step 1
            first = page.screenshot(path=str(tmp_path / "step1.png"))
            page.mouse.click(300, 44)  # the organisation-name field of step 1
            page.keyboard.type("Klinik Web")
            page.wait_for_timeout(500)
            typed = page.screenshot(path=str(tmp_path / "typed.png"))
            page.mouse.click(1040, 746)  # the Results button
            page.wait_for_timeout(6000)
            results = page.screenshot(path=str(tmp_path / "results.png"))
            browser.close()
        assert first != typed != results  # the answer was typed, then the results drawn
        assert len(results) > 10_000  # a drawn page, not a blank one
        autosave = tmp_path / "state" / "advisor" / "wizard-answers.yaml"  # never the user's own
        assert "Klinik Web" in autosave.read_text(encoding="utf-8")  # what was typed reached the wizard
    finally:
        server.terminate()
        server.wait(10)
        log.close()
    text = (tmp_path / "web.log").read_text()
    assert "127.0.0.1" in text and "this machine only" in text and "GET /ws" in text

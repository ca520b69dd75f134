"""Hub commands against recorded responses served on 127.0.0.1 (HF_ENDPOINT); no network."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
import yaml
from conftest import DATA, run_cli

from advisor.schema.catalogue import ModelEntry

HUB = DATA / "hub"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0].lstrip("/")
        candidates = [HUB / f"{path}.json", HUB / path]
        for file in candidates:
            if file.is_file():
                body = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        body = json.dumps({"error": "Repository not found"}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Error-Code", "RepoNotFound")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hub_env():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"HF_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}", "HF_HUB_DISABLE_TELEMETRY": "1",
           "HF_HUB_OFFLINE": "0", "HF_TOKEN": ""}
    server.shutdown()


def test_import_drafts_an_entry_from_config_and_card(hub_env):
    result = run_cli("catalogue", "import", "acme-ai/Acme-7B-Instruct", env=hub_env)
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(result.stdout)
    entry = ModelEntry.model_validate(draft)
    assert entry.id == "acme-7b-instruct" and entry.licence == "apache-2.0" and entry.hf_licence == "apache-2.0"
    assert entry.params_total_b == pytest.approx(7.24)
    a = entry.architecture
    assert (a.num_hidden_layers, a.num_key_value_heads, a.head_dim, a.attention) == (32, 8, 128, "gqa")
    assert entry.context_length == 32768 and entry.release == "2025-03"
    assert entry.languages == ["de", "fr", "en"]  # the invalid code is dropped
    assert any(u.startswith("publisher") for u in entry.unknown) and "tasks" in entry.unknown
    assert any(s.url.endswith("/acme-ai/Acme-7B-Instruct/blob/main/config.json") for s in entry.sources)


def test_import_write_goes_to_the_overlay(hub_env, tmp_path):
    overlay = tmp_path / "ours"
    overlay.mkdir()
    result = run_cli("--catalogue", str(overlay), "catalogue", "import", "acme-ai/Acme-7B-Instruct", "--write",
                     env=hub_env)
    assert result.returncode == 0, result.stderr
    written = overlay / "models" / "acme-ai" / "acme-7b-instruct.yaml"
    assert written.exists()
    # the draft names a publisher the catalogue does not know yet: validation says so until it is added
    check = run_cli("catalogue", "validate", str(overlay))
    assert check.returncode == 2 and "unknown publisher 'acme-ai'" in check.stderr

    other = tmp_path / "other"
    other.mkdir()
    first = run_cli("--catalogue", str(other), "catalogue", "import", "mistralai/Mistral-7B-Instruct-v0.3",
                    "--write", env=hub_env)
    assert first.returncode == 0, first.stderr
    again = run_cli("--catalogue", str(other), "catalogue", "import", "mistralai/Mistral-7B-Instruct-v0.3",
                    "--write", env=hub_env)
    assert again.returncode == 2 and "exists already" in again.stderr


def test_check_reports_drift(hub_env):
    result = run_cli("catalogue", "check", "--model", "mistral-7b-instruct-v0.3", env=hub_env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "mistral-7b-instruct-v0.3: hf_licence: catalogue 'apache-2.0', Hub 'mit'" in lines
    assert "mistral-7b-instruct-v0.3: architecture.num_hidden_layers: catalogue 32, Hub 30" in lines
    assert "1 models checked against the Hub" in result.stderr


def test_unknown_repo_and_bad_id(hub_env):
    missing = run_cli("catalogue", "import", "acme-ai/nope", env=hub_env)
    assert missing.returncode == 2 and "no repository 'acme-ai/nope'" in missing.stderr
    bad = run_cli("catalogue", "import", "not a repo", env=hub_env)
    assert bad.returncode == 2 and "is not a Hub repository id" in bad.stderr
    down = run_cli("catalogue", "import", "acme-ai/Acme-7B-Instruct",
                   env={**hub_env, "HF_ENDPOINT": "http://127.0.0.1:9"})
    assert down.returncode == 2 and "could not reach the Hub" in down.stderr
    assert all("Traceback" not in r.stderr for r in (missing, bad, down))

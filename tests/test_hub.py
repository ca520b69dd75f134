"""Hub commands against recorded responses served on 127.0.0.1 (HF_ENDPOINT); no network."""

from __future__ import annotations

import http.server
import json
import threading
import time

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


class Hostile(http.server.BaseHTTPRequestHandler):
    """Odd and slow Hub answers (robustness review M10)."""

    calls: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?")[0]
        Hostile.calls[path] = Hostile.calls.get(path, 0) + 1
        record = json.dumps({"id": "x", "cardData": {"license": ["apache-2.0", "mit"]}, "gated": False,
                             "safetensors": {"total": "7e9"}, "createdAt": "not a date"}).encode()
        if path.startswith("/api/models/busy/"):
            self._send(503, b"Service Unavailable\nRetry later\n")
        elif path.startswith("/api/models/big/"):
            self._send(200, b"[" + b"1," * 200_000 + b"1]")
        elif path.startswith("/api/models/slow/"):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        elif path.startswith("/api/models/dribble/"):  # the status line and headers, a byte at a time
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: " + b"a" * 200:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.05)
        elif path.startswith("/api/models/"):
            self._send(200, record)
        elif path.startswith("/odd/list/"):
            self._send(200, b"[1, 2]")
        elif path.endswith("config.json"):
            self._send(200, json.dumps({"num_hidden_layers": "32", "hidden_size": 4096.0, "num_attention_heads": 32,
                                        "num_key_value_heads": True, "sliding_window": "4096",
                                        "max_position_embeddings": -1}).encode())
        else:
            self._send(404, b"{}")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    yield server
    server.shutdown()


def test_hub_answers_are_bounded_in_size_and_time(hostile, monkeypatch):
    from advisor import hub
    from advisor.errors import AdvisorError

    monkeypatch.setattr(hub, "MAX_RESPONSE_BYTES", 100_000)
    with pytest.raises(AdvisorError, match="larger than 100,000 bytes"):
        hub.fetch("big/x")
    monkeypatch.setattr(hub, "TOTAL_TIMEOUT", 1.0)
    start = time.monotonic()
    with pytest.raises(AdvisorError, match="took longer than 1 s"):
        hub.fetch("slow/x")
    assert time.monotonic() - start < 10
    start = time.monotonic()
    with pytest.raises(AdvisorError, match="took longer than 1 s"):
        hub.fetch("dribble/x")  # the headers never end: each read is quick, the whole is not
    assert time.monotonic() - start < 5


def test_hub_retries_a_bounded_number_of_times(hostile):
    from advisor import hub
    from advisor.errors import AdvisorError

    with pytest.raises(AdvisorError) as exc:
        hub.fetch("busy/x")
    assert Hostile.calls["/api/models/busy/x"] == hub.RETRIES + 1
    assert "HTTP 503" in str(exc.value) and "\n" not in str(exc.value)


def test_odd_config_values_give_empty_fields_not_crashes(hostile):
    from advisor import hub

    catalogue = __import__("advisor").load_catalogue()
    draft = hub.draft_entry("odd/model", catalogue)
    assert draft["architecture"].get("num_hidden_layers") is None  # "32" is a string: not trusted
    assert draft["architecture"]["num_attention_heads"] == 32 and draft["context_length"] is None
    assert draft["params_total_b"] is None and draft["licence"] == "unknown"


def test_write_of_an_invalid_draft_writes_nothing(hostile, tmp_path):
    from advisor import hub
    from advisor.errors import AdvisorError

    draft = hub.draft_entry("odd/model", __import__("advisor").load_catalogue())
    draft["name"] = "x" * 500
    with pytest.raises(AdvisorError) as exc:
        hub.write_draft(draft, tmp_path)
    assert "the draft cannot be written" in str(exc.value)
    assert list(tmp_path.rglob("*")) == []

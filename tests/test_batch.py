"""Batch scoring: every input format, one output row per input row in order, error rows."""

from __future__ import annotations

import csv
import io
import json

from conftest import EXAMPLES, run_cli

from advisor.batch import CSV_COLUMNS, csv_to_nested, read_rows, run_batch

CSV_FILE = EXAMPLES / "batch" / "dih-members.csv"


def test_csv_cells_become_nested_requirements():
    data = csv_to_nested({"use_case.tasks": "chat; code", "hosting.hardware": "nvidia-l40s:2;nvidia-l4",
                          "budget.monthly_eur": "900", "data.personal_data": "yes", "organisation.name": ""})
    assert data == {"use_case": {"tasks": ["chat", "code"]},
                    "hosting": {"hardware": [{"accelerator": "nvidia-l40s", "count": 2}, {"accelerator": "nvidia-l4"}]},
                    "budget": {"monthly_eur": "900"}, "data": {"personal_data": "yes"}}


def test_csv_batch_rows_in_order_with_error_rows(catalogue, rules):
    out = io.StringIO()
    total, errors = run_batch(CSV_FILE, out, fmt="jsonl", catalogue=catalogue, rules=rules)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert total == len(rows) == 8 and errors == 1
    assert [r["row"] for r in rows] == list(range(1, 9))
    assert [r["id"] for r in rows] == [f"m-00{i}" for i in range(1, 9)]
    bad = rows[6]
    assert bad["status"] == "error" and bad["advice"] is None
    assert bad["error"].startswith(f"{CSV_FILE}:8: use_case.tasks.1: 'sumarisation' is not allowed")
    ok = rows[0]["advice"]
    assert len(ok["ranking"]) == 3 and ok["excluded_count"] == sum(c["count"] for c in ok["excluded"])


def test_cli_batch_csv_output_and_exit_code(tmp_path):
    out_file = tmp_path / "out.csv"
    result = run_cli("batch", str(CSV_FILE), "-o", str(out_file), "--jobs", "2")
    assert result.returncode == 2  # one row failed; every row is still written
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 9)]
    assert rows[0]["top1_model"] and rows[6]["status"] == "error"
    assert "8 rows, 7 ok, 1 with errors" in result.stderr
    assert not (tmp_path / "out.csv.partial").exists()


def test_jsonl_and_yaml_inputs(tmp_path, catalogue, rules):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"id": "a", "use_case": {"tasks": ["chat"]}}\n\nnot json\n[1, 2]\n'
                     '{"use_case": {"tasks": ["chat"], "context_tokens": -1}}\n', encoding="utf-8")
    out = io.StringIO()
    total, errors = run_batch(jsonl, out, fmt="jsonl", catalogue=catalogue, rules=rules, full=True)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (total, errors) == (4, 3)
    assert rows[0]["status"] == "ok" and rows[0]["id"] == "a" and "summary" in rows[0]["advice"]
    assert len(rows[0]["advice"]["excluded"]) + len(rows[0]["advice"]["ranking"]) == len(catalogue.models)
    assert rows[1]["error"].startswith(f"{jsonl}:3: malformed JSON")
    assert rows[2]["error"] == f"{jsonl}:4: expected a JSON object"
    assert rows[3]["error"].startswith(f"{jsonl}:5: use_case.context_tokens")

    yml = tmp_path / "in.yaml"
    yml.write_text("- id: first\n  use_case: {tasks: [chat]}\n- use_case: {tasks: [chat]}\n  hosting: {mode: cloud}\n",
                   encoding="utf-8")
    out = io.StringIO()
    total, errors = run_batch(yml, out, fmt="json", catalogue=catalogue, rules=rules)
    rows = json.loads(out.getvalue())
    assert (total, errors) == (2, 1) and rows[0]["id"] == "first"
    assert rows[1]["error"].startswith(f"{yml}:4: hosting.mode: 'cloud' is not allowed")


def test_bad_batch_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert "file is empty" in run_cli("batch", str(empty)).stderr
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("use_case.tasks,use_case.languages\nchat\nchat,de\n", encoding="utf-8")
    result = run_cli("batch", str(ragged))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["error"] == f"{ragged}:2: has 1 cells, the header has 2" and rows[1]["status"] == "ok"
    txt = tmp_path / "x.txt"
    txt.write_text("a", encoding="utf-8")
    assert "unknown input format '.txt'" in run_cli("batch", str(txt)).stderr


def test_rows_are_streamed(tmp_path):
    big = tmp_path / "many.jsonl"
    big.write_text('{"use_case": {"tasks": ["chat"]}}\n' * 1000, encoding="utf-8")
    rows = read_rows(big)
    first = next(rows)
    assert first.row == 1  # a generator: nothing beyond the first row has been parsed


def test_score_lines_gives_the_batch_output_line_for_line(tmp_path):
    import advisor.batch as batch
    from conftest import run_cli

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "use_case": {"tasks": ["chat"]}}\n\n{"use_case": {"tasks": ["x"]}}\nnot json\n',
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run_cli("batch", str(src), "-o", str(out)).returncode == 2  # rows with errors
    expected = out.read_text(encoding="utf-8").splitlines()
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    assert list(batch.score_lines(lines, name=str(src))) == expected


def test_a_batch_collects_garbage_on_its_own_schedule_and_restores_the_collector(tmp_path, monkeypatch,
                                                                                  catalogue, rules):
    import gc

    from advisor import batch

    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"id": f"r{i}", "use_case": {"tasks": ["chat"], "languages": ["de"]}}) + "\n"
                            for i in range(5)), encoding="utf-8")
    collected: list[bool] = []
    monkeypatch.setattr(batch, "COLLECT_EVERY", 2)
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(gc.isenabled()) or 0)
    assert gc.isenabled()
    total, errors = run_batch(rows, io.StringIO(), catalogue=catalogue, rules=rules)
    assert (total, errors) == (5, 0)
    assert collected == [False, False]  # rows 2 and 4, with the automatic collector paused
    assert gc.isenabled()
    lines = list(batch.score_lines(rows.read_text(encoding="utf-8").splitlines(), catalogue=catalogue, rules=rules))
    assert len(lines) == 5 and len(collected) == 4 and gc.isenabled()

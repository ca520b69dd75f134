"""Batch scoring: many requirement profiles in, one result row per profile out, in order.

Inputs: CSV (dotted column names, lists separated by ';', hardware as 'id:count;id:count',
an optional 'id' column that passes through), JSONL (one object per line), or a YAML/JSON
list. CSV and JSONL are streamed, so memory stays flat in the number of rows. A bad row
becomes an error row naming file, line and field; no row is lost.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .api import parse_requirements
from .catalogue import Catalogue
from .collector import paused
from .documents import LineMap, iter_lines, load_document, loads_json, open_regular
from .engine.advice import advise, advise_top
from .engine.evaluate import Evaluator
from .engine.loader import RuleSet
from .errors import AdvisorError, Problem, RequirementsError, printable
from .schema.paths import PathError, kind_of, resolve
from .schema.requirements import Requirements

CSV_COLUMNS = [
    "row", "id", "status", "error", "top1_model", "top1_score", "top1_monthly_cost_eur",
    "top2_model", "top2_score", "top3_model", "top3_score", "excluded_count",
]
MAX_BATCH_FILE_BYTES = 2_000_000_000
MAX_YAML_BATCH_BYTES = 20_000_000


@dataclass
class Row:
    """One input profile: its position, its pass-through id, and data or a parse error."""

    row: int
    id: str | None
    data: dict[str, Any] | None = None
    error: str | None = None
    source: str | None = None
    line: int | None = None
    lines: LineMap | None = None
    prefix: tuple[Any, ...] = ()


# --------------------------------------------------------------------------- reading

MAX_ID_CHARS = 200


def _row_id(value: Any) -> tuple[str | None, str | None]:
    """The pass-through id of a row, or why it cannot be passed through."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, "id: must be text or a whole number"
    text = str(value).strip()
    if len(text) > MAX_ID_CHARS:
        return None, f"id: is longer than {MAX_ID_CHARS} characters"
    if printable(text) != text:
        return None, "id: contains control characters or invalid Unicode"
    return text or None, None


def read_rows(path: str | Path) -> Iterator[Row]:
    """Rows of a batch file. File-level problems (missing, not a regular file, unreadable,
    unknown format, bad header) raise before the first row; problems of one row become an
    error row, so every input row gives exactly one output row."""
    p = Path(path)
    name = str(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson", ".yaml", ".yml", ".json"):
        raise RequirementsError([Problem(f"unknown input format {suffix!r}; use .csv, .jsonl, .yaml or .json",
                                         file=name)])
    if suffix in (".yaml", ".yml", ".json"):
        yield from _list_rows(p)
        return
    fh = open_regular(p, max_bytes=MAX_BATCH_FILE_BYTES, error=RequirementsError)
    with fh:
        if os.fstat(fh.fileno()).st_size == 0:
            raise RequirementsError([Problem("file is empty", file=name)])
        yield from (_csv_rows(fh, name) if suffix == ".csv" else _jsonl_rows(fh, name))


@dataclass
class _Record:
    """One CSV record: its lines, its cells (None when unreadable) and what is wrong with it."""

    first: int
    last: int
    text: str | None
    cells: list[str] | None
    error: str | None = None


def _csv_records(lines: Iterator[tuple[int, str | None]], width: list[int]) -> Iterator[_Record]:
    """CSV records. A quoted field may span lines, as CSV allows; but a quote that is never
    closed, or that swallows following lines into a record with the wrong number of cells
    (``width[0]``, once the header is known), makes an error record of its own line, and the
    lines after it are read again as records of their own."""
    pending: deque[tuple[int, str | None]] = deque()

    def take() -> tuple[int, str | None] | None:
        return pending.popleft() if pending else next(lines, None)

    while (item := take()) is not None:
        first, text = item
        if text is None:
            yield _Record(first, first, None, None, "not valid UTF-8; save the file as UTF-8")
            continue
        span = [item]
        buffer = text
        while True:
            try:
                cells: list[str] | None = next(csv.reader([buffer], strict=True), [])
                error = None
            except csv.Error as exc:
                if "unexpected end of data" in str(exc) and (more := take()) is not None and more[1] is not None:
                    span.append(more)
                    buffer += more[1]
                    continue
                if "unexpected end of data" in str(exc) and more is not None:
                    pending.appendleft(more)
                cells = None
                error = ("a quoted field opened on this line is never closed" if "end of data" in str(exc)
                         else f"malformed CSV: {exc}")
            break
        swallowed = len(span) > 1 and (cells is None or (width and len(cells) != width[0]))
        if swallowed:
            pending.extendleft(reversed(span[1:]))
            problem = ("is never closed" if error and "never closed" in error
                       else f"is not closed properly (it runs on to line {span[-1][0]})")
            yield _Record(first, first, text, None, f"a quoted field opened on this line {problem}; the lines "
                                                    "after it are read as rows of their own")
            continue
        yield _Record(first, span[-1][0], buffer, cells, error)


def _csv_rows(fh: Any, name: str) -> Iterator[Row]:
    width: list[int] = []
    records = _csv_records(iter_lines(fh), width)
    head = next(records, None)
    if head is None:
        raise RequirementsError([Problem("file is empty", file=name)])
    if head.cells is None:
        raise RequirementsError([Problem(f"the header line is unreadable: {head.error}", file=name, line=head.first)])
    header = [h.strip() for h in head.cells]
    if not any(header):
        raise RequirementsError([Problem("the first line must name the columns", file=name, line=1)])
    duplicates = {h for h in header if header.count(h) > 1 and h}
    if duplicates:
        raise RequirementsError([Problem(f"duplicate column {sorted(duplicates)[0]!r}", file=name, line=1)])
    width.append(len(header))
    id_column = header.index("id") if "id" in header else None
    kinds = column_kinds(header)
    number = 0
    for rec in records:
        if rec.cells is not None and not rec.cells:
            continue  # a blank line is not a record
        number += 1
        cells = rec.cells
        if cells is None and rec.text is not None:  # still pass the id through, read leniently
            cells_for_id = next(csv.reader([rec.text]), [])
        else:
            cells_for_id = cells or []
        raw_id = cells_for_id[id_column] if id_column is not None and id_column < len(cells_for_id) else None
        row_id, id_error = _row_id(raw_id)
        if rec.error is not None or id_error is not None or cells is None:
            yield Row(number, row_id, error=Problem(rec.error or id_error or "unreadable", file=name,
                                                    line=rec.first).render())
            continue
        if len(cells) != len(header):
            where = f" (lines {rec.first}-{rec.last})" if rec.last != rec.first else ""
            yield Row(number, row_id, error=Problem(f"has {len(cells)} cells, the header has {len(header)}{where}",
                                                    file=name, line=rec.first).render())
            continue
        if not any(c.strip() for c in cells):
            yield Row(number, None, error=Problem("every cell of the row is empty", file=name,
                                                  line=rec.first).render())
            continue
        values = dict(zip(header, cells, strict=True))
        values.pop("id", None)
        try:
            data = csv_to_nested(values, kinds)
        except ValueError as exc:
            yield Row(number, row_id, error=Problem(str(exc), file=name, line=rec.first).render())
            continue
        yield Row(number, row_id, data, source=name, line=rec.first)


def column_kinds(header: list[str]) -> dict[str, str]:
    """The kind of value each dotted column holds (resolved once per file, not per cell)."""
    kinds = {}
    for column in header:
        try:
            kinds[column] = kind_of(resolve(Requirements, column.split(".")))
        except PathError:
            kinds[column] = "text"  # validation reports the unknown field with a suggestion
    return kinds


def csv_to_nested(values: dict[str, str], kinds: dict[str, str] | None = None) -> dict[str, Any]:
    """Dotted CSV columns -> nested requirements data. Lists split on ';'; hardware 'id:count'."""
    kinds = kinds if kinds is not None else column_kinds(list(values))
    data: dict[str, Any] = {}
    for column, raw in values.items():
        cell = raw.strip()
        if not column or cell == "":
            continue
        parts = column.split(".")
        kind = kinds.get(column, "text")
        value: Any = cell
        if column == "hosting.hardware":
            value = [_hardware_item(item) for item in _split(cell)]
        elif kind == "list":
            value = _split(cell)
        node = data
        for key in parts[:-1]:
            existing = node.setdefault(key, {})
            if not isinstance(existing, dict):
                raise ValueError(f"{column}: conflicts with column {key!r}")
            node = existing
        node[parts[-1]] = value
    return data


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def _hardware_item(item: str) -> dict[str, Any]:
    ident, _, count = item.partition(":")
    if not count:
        return {"accelerator": ident.strip()}
    try:
        return {"accelerator": ident.strip(), "count": int(count)}
    except ValueError:
        raise ValueError(f"hosting.hardware: {item!r} is not 'id:count' with a whole number") from None


def _jsonl_rows(fh: Any, name: str) -> Iterator[Row]:
    return _jsonl_records(iter_lines(fh), name)


def _jsonl_records(lines: Iterable[tuple[int, str | None]], name: str) -> Iterator[Row]:
    """Rows from (line number, text) pairs; text None = the line was not valid UTF-8."""
    number = 0
    for line_no, text in lines:
        if text is not None and not text.strip():
            continue
        number += 1
        if text is None:
            yield Row(number, None, error=Problem("not valid UTF-8; save the file as UTF-8", file=name,
                                                  line=line_no).render())
            continue
        try:
            data = loads_json(text, name, error=RequirementsError, line=line_no)
        except RequirementsError as exc:
            yield Row(number, None, error=exc.problems[0].render())
            continue
        if not isinstance(data, dict):
            yield Row(number, None, error=Problem("expected a JSON object", file=name, line=line_no).render())
            continue
        row_id, id_error = _row_id(data.pop("id", None))
        if id_error is not None:
            yield Row(number, None, error=Problem(id_error, file=name, line=line_no).render())
            continue
        yield Row(number, row_id, data, source=name, line=line_no)


def _list_rows(path: Path) -> Iterator[Row]:
    name = str(path)
    data, lines = load_document(path, error=RequirementsError, max_bytes=MAX_YAML_BATCH_BYTES)
    if isinstance(data, dict) and "profiles" in data:
        data, prefix0 = data["profiles"], ("profiles",)
    else:
        prefix0 = ()
    if not isinstance(data, list):
        raise RequirementsError([Problem("expected a list of requirement profiles", file=name, line=1)])
    for i, item in enumerate(data):
        prefix = (*prefix0, i)
        line = lines.line_of(prefix)
        if not isinstance(item, dict):
            yield Row(i + 1, None, error=Problem("expected a mapping of requirements", file=name, line=line).render())
            continue
        item = dict(item)
        row_id, id_error = _row_id(item.pop("id", None))
        if id_error is not None:
            yield Row(i + 1, None, error=Problem(id_error, file=name, line=line).render())
            continue
        yield Row(i + 1, row_id, item, source=name, line=line, lines=lines, prefix=prefix)


# --------------------------------------------------------------------------- scoring


def condensed(ev: Evaluator, top: int, full: bool) -> dict[str, Any]:
    """The advice JSON for a batch row: ranking cut to ``top``, exclusions summarised by cause.
    Only what is output is explained: the other models are scored without their messages."""
    if full:
        return advise(ev).model_dump(mode="json")
    advice, dropped = advise_top(ev, top)
    data = advice.model_dump(mode="json")
    causes: dict[str, list[str]] = {}
    for t in dropped:
        causes.setdefault(t.exclusions[0].rule, []).append(t.model.id)
    data["excluded"] = [{"rule": rule, "count": len(models), "models": models}
                        for rule, models in sorted(causes.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    data["excluded_count"] = len(dropped)
    return data


COLLECT_EVERY = 1_000
"""Rows between the garbage collections of a batch. Python's own schedule re-scanned the
memoised plans and facts, which grow with the rows, every few dozen rows (a fifth of the
scoring time); a row leaves little cyclic garbage, so while scoring (automatic collection
paused, :func:`advisor.collector.paused`) the :class:`Scorer` collects once per this many rows
(benchmarks/batch_memory.py shows the memory stays flat)."""


class Scorer:
    """Scores rows against one catalogue and rule set (shared by worker processes)."""

    def __init__(self, catalogue: Catalogue, rules: RuleSet, top: int, full: bool):
        self.catalogue = catalogue
        self.rules = rules
        self.top = top
        self.full = full
        self.scored = 0

    def __call__(self, row: Row) -> dict[str, Any]:
        self.scored += 1
        if self.scored % COLLECT_EVERY == 0 and not gc.isenabled():
            gc.collect()
        out: dict[str, Any] = {"row": row.row, "id": row.id, "status": "error", "error": row.error, "advice": None}
        if row.error is not None:
            return out
        try:
            lines = row.lines
            if lines is None and row.line is not None:
                lines = LineMap({(): row.line})
            req = parse_requirements(row.data, source=row.source, lines=lines, prefix=row.prefix)
            advice = condensed(Evaluator(req, self.catalogue, self.rules), self.top, self.full)
        except AdvisorError as exc:
            problems = [p if p.line or row.line is None else Problem(p.message, p.file, row.line, p.field)
                        for p in exc.problems]
            out["error"] = "; ".join(p.render() for p in problems)
            return out
        out.update(status="ok", error=None, advice=advice)
        return out


_WORKER: Scorer | None = None
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _init_worker(scorer: Scorer) -> None:
    global _WORKER
    _WORKER = scorer
    # Ctrl+C reaches the whole process group: the parent handles it and stops the workers, so
    # they ignore it (no traceback per worker); SIGTERM from the parent ends them quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by the parent while forking
    gc.disable()  # the worker only scores: its scorer collects every COLLECT_EVERY rows


def _work(row: Row) -> dict[str, Any]:
    assert _WORKER is not None
    return _WORKER(row)


def score_rows(rows: Iterable[Row], scorer: Scorer, jobs: int = 1) -> Iterator[dict[str, Any]]:
    """Results in input order; with jobs > 1, rows are scored in worker processes."""
    if jobs <= 1:
        with paused():
            for row in rows:
                yield scorer(row)
        return
    ctx = multiprocessing.get_context("fork")
    # A signal while the workers are forked would reach one before it ignores Ctrl+C (a traceback
    # per worker): the parent blocks them until the pool stands; one that came meanwhile is then
    # delivered to the parent, which stops the pool.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(scorer,))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    with pool:
        yield from pool.imap(_work, rows, chunksize=16)


# --------------------------------------------------------------------------- writing


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV-injection advice: a leading
    apostrophe before =, +, -, @, tab or carriage return)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_record(result: dict[str, Any]) -> dict[str, Any]:
    advice = result.get("advice") or {}
    ranking = advice.get("ranking", [])
    record: dict[str, Any] = {"row": result["row"], "id": spreadsheet_safe(result["id"] or ""),
                              "status": result["status"], "error": spreadsheet_safe(result["error"] or "")}
    for i in range(3):
        r = ranking[i] if i < len(ranking) else None
        record[f"top{i + 1}_model"] = r["model"] if r else ""
        record[f"top{i + 1}_score"] = r["score"] if r else ""
    top1 = ranking[0] if ranking else None
    dep = top1.get("deployment") if top1 else None
    record["top1_monthly_cost_eur"] = dep["monthly_cost_eur"] if dep else ""
    record["excluded_count"] = advice.get("excluded_count", len(advice.get("excluded", []))) if advice else ""
    return record


def json_line(result: dict[str, Any]) -> str:
    """One result as a JSON line: UTF-8 text, with the line and paragraph separators U+2028/U+2029
    escaped so that readers splitting on every Unicode line break still see one row per line."""
    return json.dumps(result, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write_results(results: Iterable[dict[str, Any]], out: TextIO, fmt: str) -> tuple[int, int]:
    """Write rows as they come; returns (rows, errors)."""
    total = errors = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
    elif fmt == "json":
        out.write("[")
    for result in results:
        total += 1
        errors += result["status"] == "error"
        if writer is not None:
            writer.writerow(csv_record(result))
        elif fmt == "json":
            out.write(("," if total > 1 else "") + "\n" + json_line(result))
        else:
            out.write(json_line(result) + "\n")
    if fmt == "json":
        out.write("\n]\n")
    return total, errors


def score_lines(lines: Iterable[str], *, catalogue: Catalogue | None = None, rules: RuleSet | None = None,
                top: int = 3, full: bool = False, name: str = "input") -> Iterator[str]:
    """JSONL in, JSONL out: one output line (without newline) per non-blank input line, in
    order, exactly as ``advisor batch`` writes them. Pure: no files, no processes, so a cluster
    engine can call it per partition (see docs/scale.md)."""
    from .catalogue import load_catalogue
    from .engine.loader import load_rules

    scorer = Scorer(catalogue or load_catalogue(), rules or load_rules(), top, full)
    pairs = ((i, line.rstrip("\r\n")) for i, line in enumerate(lines, 1))
    with paused():
        for row in _jsonl_records(pairs, name):
            yield json_line(scorer(row))


def run_batch(path: str | Path, out: TextIO | None = None, *, fmt: str = "jsonl", catalogue: Catalogue,
              rules: RuleSet, top: int = 3, full: bool = False, jobs: int = 1) -> tuple[int, int]:
    """Score every profile in ``path`` and write one result per row to ``out``."""
    scorer = Scorer(catalogue, rules, top, full)
    rows = read_rows(path)
    first = next(rows, None)  # file-level problems surface before any output is written
    if first is None:
        raise RequirementsError([Problem("no profiles in the file", file=str(path))])

    def all_rows() -> Iterator[Row]:
        yield first
        yield from rows

    return write_results(score_rows(all_rows(), scorer, jobs), out if out is not None else io.StringIO(), fmt)

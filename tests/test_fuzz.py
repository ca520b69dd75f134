"""Property tests over generated and mutated inputs: only AdvisorError escapes the API, the CLI exits
0 or 2 with one `error:` line per problem, batch writes exactly one row per input row.

Bounded for CI; set ADVISOR_FUZZ_EXAMPLES (e.g. 5000) for a longer run."""

from __future__ import annotations

import io
import json
import os

import yaml
from conftest import run_main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advisor
from advisor.batch import run_batch

EXAMPLES = int(os.environ.get("ADVISOR_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("ADVISOR_FUZZ_EXAMPLES"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

odd_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "de", "chat", "nvidia-l40s", "2024-13-45", "<<", "[/]", "\x1b[2J", "1.500", "-1", "1e400", "yes", "null"])
scalar = st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=False,
                                                                                allow_infinity=False) | odd_text
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner,
                                                                                          max_size=3), max_leaves=8)
tasks = st.lists(st.sampled_from(["chat", "code", "vision", "document_qa", "translation", "agents", "x"]),
                 min_size=0, max_size=4)


@st.composite
def requirements(draw: st.DrawFn) -> dict:
    doc: dict = {"use_case": {"tasks": draw(tasks)}}
    sections = {
        "use_case": {"languages": st.lists(st.sampled_from(["de", "en", "pl", "xx", "fi"]), max_size=3),
                     "context_tokens": st.integers(-5, 3_000_000), "concurrent_users": st.integers(-1, 200_000),
                     "end_users": st.sampled_from(["internal", "public", "nobody"])},
        "organisation": {"country": st.sampled_from(["DE", "CH", "FR", "XX", None]), "name": odd_text,
                         "employees": st.integers(-1, 10**8)},
        "hosting": {"mode": st.sampled_from(["on_premises", "eu_cloud", "eu_sovereign_cloud", "any", "moon"]),
                    "hardware": st.lists(st.fixed_dictionaries({
                        "accelerator": st.sampled_from(["nvidia-l40s", "nvidia-rtx-4090", "nope"]),
                        "count": st.integers(-1, 100)}) | st.fixed_dictionaries({
                            "name": odd_text, "kind": st.sampled_from(["gpu", "cpu", "unified", "tpu"]),
                            "memory_gb": st.floats(-1, 1e6, allow_nan=False),
                            "bandwidth_gbps": st.floats(-1, 1e6, allow_nan=False)}), max_size=2),
                    "certifications": st.lists(st.sampled_from(["c5", "secnumcloud", "iso9001"]), max_size=2)},
        "budget": {"monthly_eur": st.floats(-10, 1e9, allow_nan=False) | st.none(),
                   "hardware_eur": st.floats(-10, 1e9, allow_nan=False) | st.none()},
        "licence": {"accept": st.lists(st.sampled_from(["attribution", "remote_restriction", "x"]), max_size=3),
                    "commercial_use": st.booleans() | odd_text},
        "priorities": {k: st.integers(-1, 6) for k in ("licence", "compute", "capability", "cost")},
    }
    for section, fields in sections.items():
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(sorted(fields)), max_size=len(fields), unique=True))
            doc.setdefault(section, {}).update({k: draw(fields[k]) for k in chosen})
    if draw(st.integers(0, 9)) == 0:
        doc[draw(odd_text)] = draw(value)  # an unknown key
    return doc


@SETTINGS
@given(requirements())
def test_advise_raises_only_advisor_errors(doc):
    try:
        advice = advisor.advise(doc)
    except advisor.AdvisorError as exc:
        assert exc.problems and all("\n" not in p.render() for p in exc.problems)
    else:
        assert len(advice.ranking) + len(advice.excluded) == len(advisor.load_catalogue().models)


mutation = st.sampled_from(["", "!!int ", "!!bool ", "!!timestamp ", "!!map ", "<<: ", "\x00", "\t", "&a ", "*a ",
                            "'", '"', "[", "{", ": ", "- ", "\ufeff", "\u2028", "2024-02-30"])


@SETTINGS
@given(requirements(), st.lists(st.tuples(st.integers(0, 10_000), mutation), max_size=4),
       st.sampled_from(["json", "markdown", "table"]))
def test_cli_exits_0_or_2_with_one_line_per_problem(tmp_path_factory, doc, edits, fmt):
    text = yaml.safe_dump(doc, allow_unicode=True)
    for pos, insert in edits:
        pos %= len(text) + 1
        text = text[:pos] + insert + text[pos:]
    path = tmp_path_factory.mktemp("fuzz") / "req.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_main("recommend", str(path), "--format", fmt)
    assert code in (0, 2), err
    if code == 2:
        lines = err.strip().splitlines()
        assert lines and all(line.startswith("error: ") for line in lines), err
    else:
        assert out.strip()
        if fmt == "json":
            json.loads(out)


line = st.one_of(
    requirements().map(lambda d: json.dumps(d, ensure_ascii=False).encode()),
    st.binary(max_size=40),
    st.sampled_from([b"", b"   ", b"[1]", b'{"id": "\\ud800", "use_case": {"tasks": ["chat"]}}', b"\xff\xfe",
                     b'{"a": 1, "a": 2}', b'{"id": 7, "use_case": {"tasks": ["code"]}}']),
)


@SETTINGS
@given(st.lists(line, min_size=1, max_size=8))
def test_batch_writes_one_row_per_input_row(tmp_path_factory, lines):
    body = b"\n".join(x.replace(b"\n", b" ").replace(b"\r", b" ") for x in lines) + b"\n"
    path = tmp_path_factory.mktemp("fuzz") / "rows.jsonl"
    path.write_bytes(body)
    expected = sum(1 for raw in body.split(b"\n")[:-1] if raw.strip(b" \t\x0b\x0c\r") or not raw.decode(
        "utf-8", "replace").strip() == "")
    catalogue, rules = advisor.load_catalogue(), advisor.load_rules()
    out = io.StringIO()
    try:
        total, errors = run_batch(path, out, fmt="jsonl", catalogue=catalogue, rules=rules)
    except advisor.AdvisorError as exc:  # only file-level problems: here, a file without any row
        assert "no profiles" in str(exc)
        return
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["row"] for r in rows] == list(range(1, total + 1))
    assert total == expected


@SETTINGS
@given(requirements())
def test_rank_agrees_with_advise(doc):
    """The ranking-only path gives the same order, totals, dimension scores and first exclusion
    rules as the full advice, for every valid generated profile."""
    try:
        advice = advisor.advise(doc)
    except advisor.AdvisorError:
        return
    ranking = advisor.rank(doc)
    assert [(r.model, r.total, r.scores) for r in ranking.ranked] == [
        (r.model, r.score, r.scores) for r in advice.ranking]
    assert {e.model: e.rule for e in ranking.excluded} == {e.model: e.reasons[0].rule for e in advice.excluded}

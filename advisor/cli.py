"""The advisor command line: parse arguments, call the library, render the result.

Bad input (AdvisorError) prints one line per problem on stderr, ``error: FILE:LINE: field:
what is wrong``, and exits 2. Anything else is a bug: exit 1 with a short message (set
ADVISOR_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from ._version import __version__
from .collector import paused
from .errors import AdvisorError, Problem, printable

T = TypeVar("T")

SCHEMAS = ("requirements", "catalogue", "licence", "publishers", "hardware", "hosting", "vocabulary", "rules",
           "rule-tests", "advice")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--catalogue", action="append", metavar="DIR", default=default,
                        help="catalogue overlay directory (repeatable; a directory with vocabulary.yaml "
                             "replaces the bundled catalogue)")
    parser.add_argument("--rules", action="append", metavar="DIR", default=default,
                        help="rules overlay directory (repeatable; rules add or override by id)")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, one command's sub-parser alone (see
    :func:`command_word`): building all of them cost a cold command about 5 ms, most of it in
    argparse looking up translations of its headings for every sub-parser."""
    def wanted(name: str) -> bool:
        return only is None or only == name

    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Choose an open-weight AI model your organisation can legally use, host and afford.",
        epilog="Run 'advisor' without arguments in a terminal for the interactive wizard.",
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, suppress=True)
        return p

    if wanted("recommend"):
        p = command("recommend", "advise one requirements file (YAML or JSON)")
        p.add_argument("file")
        p.add_argument("--format", choices=("table", "json", "markdown", "html", "cyclonedx"), default="table",
                       help="cyclonedx: a CycloneDX 1.6 ML-BOM of the ranked models (with --top K)")
        p.add_argument("--top", type=_positive, metavar="N", help="show only the first N models")

    if wanted("batch"):
        p = command("batch", "advise many profiles (CSV, JSONL, YAML list); one output row per input row")
        p.add_argument("input")
        p.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
        p.add_argument("--format", choices=("csv", "jsonl", "json"), help="default: from OUT's suffix, else jsonl")
        p.add_argument("--jobs", type=_bounded(256), default=1, metavar="N", help="worker processes")
        p.add_argument("--top", type=_positive, default=3, metavar="K", help="ranking entries per row (default 3)")
        p.add_argument("--full", action="store_true", help="full advice per row (every model and exclusion)")

    if wanted("estimate"):
        p = command("estimate", "memory, speed and fit of one model (sizes in GB = 10^9 bytes)")
        p.add_argument("model")
        p.add_argument("--quant", metavar="Q", help="weight format, e.g. FP8, AWQ-INT4, BF16, Q4_K_M (default: the best "
                                                    "that fits)")
        p.add_argument("--context", type=_context, default=8192, metavar="N", help="tokens per request (default 8192)")
        p.add_argument("--users", type=_users, default=1, metavar="N",
                       help="simultaneous requests, each holding the full context (default 1)")
        p.add_argument("--hardware", metavar="ID[:COUNT]", help="hardware id from the catalogue, e.g. nvidia-l40s:2")
        p.add_argument("--engine", choices=("vllm", "llama.cpp"),
                       help="serving engine (default: vLLM on GPUs, llama.cpp on CPUs and Apple/AMD unified memory)")
        p.add_argument("--kv-cache", choices=("fp16", "fp8", "q8_0", "f16"), default="fp16",
                       help="KV-cache precision (default fp16; fp8 on vLLM, q8_0 on llama.cpp)")
        p.add_argument("--ladder", action="store_true", help="one row per weight format: memory, fit, speed")
        p.add_argument("--format", choices=("table", "json"), default="table")

    if wanted("catalogue"):
        p = command("catalogue", "inspect and check the catalogue")
        csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
        c = csub.add_parser("list", help="list models, licences, publishers, hardware or hosting offers")
        c.add_argument("--kind", choices=("models", "licences", "publishers", "hardware", "hosting"), default="models")
        c.add_argument("--format", choices=("table", "json"), default="table")
        c = csub.add_parser("status", help="how current the catalogue is: newest release, review date, old reviews and prices")
        c.add_argument("--format", choices=("table", "json"), default="table")
        c = csub.add_parser("show", help="show one model with its licence and publisher")
        c.add_argument("id")
        c.add_argument("--format", choices=("yaml", "json"), default="yaml")
        c = csub.add_parser("validate", help="check a catalogue directory (default: the bundled one)")
        c.add_argument("dir", nargs="?")
        c = csub.add_parser("import", help="draft an entry from the Hugging Face Hub (review before use)")
        c.add_argument("repo", metavar="HF_REPO")
        c.add_argument("--write", action="store_true",
                       help="write the draft into the catalogue directory (--catalogue DIR, or ./catalogue)")
        c = csub.add_parser("check", help="report drift between catalogue entries and the Hub")
        c.add_argument("--model", action="append", metavar="ID", help="only this model (repeatable)")
        for c in csub.choices.values():
            _global_options(c, suppress=True)

    if wanted("rules"):
        p = command("rules", "list rules or run their example cases")
        rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
        r = rsub.add_parser("list", help="list rules")
        r.add_argument("--format", choices=("table", "json"), default="table")
        r = rsub.add_parser("test", help="run every rule's example cases")
        r.add_argument("--rule", metavar="ID", help="only this rule")
        for r in rsub.choices.values():
            _global_options(r, suppress=True)

    if wanted("schema"):
        p = command("schema", "print a JSON Schema (for editors)")
        p.add_argument("name", choices=SCHEMAS)

    if wanted("wizard"):
        p = command("wizard", "the interactive wizard")
        p.add_argument("--from", dest="from_file", metavar="FILE", help="pre-fill the answers from a requirements file")

    if wanted("mcp"):
        command("mcp", "a Model Context Protocol server on standard input/output (tools: advise, estimate, "
                       "list_models, explain_model)")

    if wanted("web"):
        p = command("web", "serve the wizard in a web browser (textual-serve)")
        p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
        p.add_argument("--port", type=_bounded(65535), default=8000, help="port (default 8000)")

    if wanted("audit"):
        p = command("audit", "licence audit of models already in use (exit 0 clean, 3 findings, 2 bad input)")
        p.add_argument("inventory", metavar="INVENTORY", help="YAML/JSON with organisation and models, or CSV with "
                                                              "columns model,use,commercial_use,redistributed")
        p.add_argument("--country", metavar="CC", help="organisation country (ISO 3166 alpha-2); needed for a CSV")
        p.add_argument("--format", choices=("table", "json", "markdown", "sarif"), default="table")
    return parser


COMMANDS = ("recommend", "batch", "estimate", "catalogue", "rules", "schema", "wizard", "mcp", "web", "audit")
_VALUED = ("--catalogue", "--rules")
"""The options before the command that take a value."""


def command_word(args: Sequence[str]) -> str | None:
    """The command ``args`` name, read as argparse reads it, when that is certain: the first
    word after the global options (``--catalogue DIR``, ``--rules DIR``, or their unambiguous
    abbreviations, with or without ``=``); None when anything else comes first (help, the
    version, an unknown option, ``--``) or the word is no command: the whole parser decides."""
    i = 0
    while i < len(args):
        word = args[i]
        if not word.startswith("-"):
            return word if word in COMMANDS else None
        name = word.split("=", 1)[0]
        full = [o for o in _VALUED if len(name) > 2 and o.startswith(name)]
        if len(full) != 1:
            return None
        i += 1 if "=" in word else 2
    return None


def _bounded(high: int) -> Any:
    """An argparse type for a whole number from 1 to ``high``."""
    def parse(text: str) -> int:
        if len(text) > 12:
            raise argparse.ArgumentTypeError(f"{text[:12]!r}... is not a whole number from 1 to {high:,}")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not 1 <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} must be from 1 to {high:,}")
        return value
    return parse


_positive = _bounded(1_000_000)
_context = _bounded(10_000_000)   # as the requirements schema (use_case.context_tokens)
_users = _bounded(100_000)        # as the requirements schema (use_case.concurrent_users)


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that clean-up (temporary files, workers) runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def _utf8_output() -> None:
    """Output is UTF-8 whatever the locale says when it goes to a file or pipe (a Windows console
    redirect would otherwise fail on the first non-Latin character); a terminal that cannot show
    a character gets a replacement instead of a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8":
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8")
        except (ValueError, OSError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    _utf8_output()
    if not args_list and sys.stdin.isatty() and sys.stdout.isatty():
        args_list = ["wizard"]
    parser = build_parser(only=command_word(args_list))
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 0
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        return _dispatch(args)
    except AdvisorError as exc:
        for problem in exc.problems:
            print(f"error: {problem.render()}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 143
    except Exception as exc:  # a bug: say so briefly
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {printable(str(exc))} (set ADVISOR_DEBUG=1 for details)",
              file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _catalogue(args: argparse.Namespace) -> Any:
    with paused():
        from .catalogue import load_catalogue

        return _kept(load_catalogue(*(getattr(args, "catalogue", None) or [])))


def _rules(args: argparse.Namespace) -> Any:
    with paused():
        from .engine.loader import load_rules

        return _kept(load_rules(*(getattr(args, "rules", None) or [])))


def _kept(loaded: T) -> T:
    """The catalogue or rules a command loaded live until it ends: the garbage collector stops
    scanning them (see ``advisor._entry``). Called while the collector is paused: freezing
    before it resumes also clears its count of new objects, which would otherwise start a
    collection of everything just loaded at the first allocation after the load."""
    gc.freeze()
    return loaded


ONE_ANSWER = frozenset({"recommend", "estimate"})
"""Commands that compute one answer and end. The garbage collector stays paused while they run:
what they make lives until they end, and a cold ``recommend`` spent about a tenth of its time
scanning it; the garbage of one answer is small."""


def _dispatch(args: argparse.Namespace) -> int:
    handler = {
        "recommend": cmd_recommend, "batch": cmd_batch, "estimate": cmd_estimate, "catalogue": cmd_catalogue,
        "rules": cmd_rules, "schema": cmd_schema, "wizard": cmd_wizard, "audit": cmd_audit,
        "mcp": cmd_mcp, "web": cmd_web,
    }[args.command]
    if args.command in ONE_ANSWER:
        with paused():
            return handler(args)
    return handler(args)


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_recommend(args: argparse.Namespace) -> int:
    from .api import read_requirements
    from .engine.advice import advise
    from .engine.evaluate import Evaluator, check_requirements

    req, lines = read_requirements(args.file)
    catalogue, rules = _catalogue(args), _rules(args)
    check_requirements(req, catalogue, source=args.file, lines=lines)
    advice = advise(Evaluator(req, catalogue, rules))
    if args.format == "json":
        if args.top:
            advice = advice.model_copy(update={"ranking": advice.ranking[: args.top]})
        _write(advice.to_json())
    elif args.format == "markdown":
        from .render.markdown import render_markdown

        _write(render_markdown(advice, top=args.top))
    elif args.format == "html":
        from .render.html import render_html

        _write(render_html(advice, top=args.top))
    elif args.format == "cyclonedx":
        from .integrations.cyclonedx_bom import ml_bom

        _write(ml_bom(advice, catalogue, top=args.top or 3))
    else:
        from .render.table import advice_table, console_width, print_renderable

        print_renderable(advice_table(advice, top=args.top or 10, width=console_width()))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
        fmt = suffix if suffix in ("csv", "jsonl", "json") else "jsonl"
    catalogue, rules = _catalogue(args), _rules(args)
    if args.output:
        from .outfile import output_file

        with output_file(args.output) as fh:  # opened (or refused) before any row is scored
            total, errors = run_batch(args.input, fh, fmt=fmt, catalogue=catalogue, rules=rules, top=args.top,
                                      full=args.full, jobs=args.jobs)
    else:
        total, errors = run_batch(args.input, sys.stdout, fmt=fmt, catalogue=catalogue, rules=rules, top=args.top,
                                  full=args.full, jobs=args.jobs)
    print(f"{total} rows, {total - errors} ok, {errors} with errors", file=sys.stderr)
    return 2 if errors else 0


def cmd_mcp(args: argparse.Namespace) -> int:
    from .integrations.mcp_server import serve

    serve(_catalogue(args), _rules(args))
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    from .integrations.web import serve

    return serve(args.host, args.port, catalogue_dirs=getattr(args, "catalogue", None) or [],
                 rules_dirs=getattr(args, "rules", None) or [])


def cmd_audit(args: argparse.Namespace) -> int:
    from .audit import audit, read_inventory, to_markdown, to_sarif

    country = args.country.upper() if args.country else None
    inventory, lines = read_inventory(args.inventory, country)
    rules = _rules(args)
    report = audit(inventory, _catalogue(args), rules, name=args.inventory, lines=lines)
    if args.format == "json":
        _write(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "sarif":
        _write(json.dumps(to_sarif(report, __version__, rules), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        _write(to_markdown(report))
    else:
        from .render.table import print_renderable, rows_table

        rows = [{"#": f.row, "severity": f.severity, "model": f.model, "finding": f.message
                 + (f" Fix: {f.fix}." if f.fix else "")} for f in report.findings]
        counts = report.to_json()["counts"]
        print_renderable(rows_table(rows, ["#", "severity", "model", "finding"],
                                    title=f"{report.checked} models audited: {counts['error']} errors, "
                                          f"{counts['warning']} warnings, {counts['unknown']} unknown, "
                                          f"{counts['note']} notes"))
    return 3 if report.failing else 0


def cmd_estimate(args: argparse.Namespace) -> int:
    from .estimate import estimate, parse_hardware

    catalogue = _catalogue(args)
    device = parse_hardware(args.hardware, catalogue) if args.hardware else None
    result = estimate(catalogue.model(args.model), quant=args.quant, context=args.context, users=args.users,
                      device=device, kv_cache=args.kv_cache, engine=args.engine, with_ladder=args.ladder)
    if args.format == "json":
        _write(json.dumps(result, indent=2))
        return 0
    from .render.table import print_renderable, rows_table

    if args.ladder:
        columns = ["weights_format", "total_gb", "fits", "tokens_per_s", "time_to_first_token_s",
                   "sessions_at_full_context"] if device else ["weights_format", "weights_gb", "kv_cache_gb",
                                                                "total_gb"]
        print_renderable(rows_table(result["ladder"], columns,
                                    title=f"{args.model} on {result['engine']}, {args.users} x {args.context:,} tokens "
                                          f"(GB = 10^9 bytes)"))
    else:
        rows = [{"quantity": k, "value": v} for k, v in result.items() if k not in ("notes", "ladder")]
        print_renderable(rows_table(rows, ["quantity", "value"],
                                    title=f"Estimate for {args.model} (GB = 10^9 bytes)"))
    for note in result.get("notes", []):
        print(f"note: {note}")
    return 0


def catalogue_status(catalogue: Any, fmt: str) -> int:
    """Print how current the catalogue is (judged against its own review date, not the clock)."""
    from collections import Counter

    f = catalogue.freshness
    years = Counter(m.release[:4] for m in catalogue.models.values())
    rankable = sum(1 for m in catalogue.models.values() if not (m.missing_facts or m.not_rankable))
    data = {"reviewed": f.reviewed, "newest_release": f.newest_release, "release_lag_months": f.release_lag_months,
            "models": len(catalogue.models), "rankable": rankable, "releases_by_year": dict(sorted(years.items())),
            "reviewed_over_6_months_ago": f.old_reviews, "prices_over_6_months_old": f.old_prices,
            "warning": f.warning()}
    if fmt == "json":
        _write(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    lines = [f"catalogue reviewed {f.reviewed}; newest release {f.newest_release} "
             f"({f.release_lag_months} months before the review)",
             f"{len(catalogue.models)} models ({rankable} rankable); by release year: "
             + ", ".join(f"{y}: {n}" for y, n in sorted(years.items())),
             f"{len(f.old_reviews)} models reviewed more than 6 months before the review date"
             + (f": {', '.join(f.old_reviews)}" if f.old_reviews else ""),
             f"{len(f.old_prices)} of {len(catalogue.offers)} hosting prices more than 6 months old"
             + (f": {', '.join(f.old_prices)}" if f.old_prices else "")]
    if f.warning():
        lines.append(f"warning: {f.warning()}")
    print("\n".join(lines))
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from .schema.catalogue import DECISION_FACTS

    if args.action == "validate":
        from .catalogue import load_catalogue
        from .validate import check_catalogue

        catalogue = load_catalogue(*([args.dir] if args.dir else []), *(getattr(args, "catalogue", None) or []))
        check_catalogue(catalogue)
        print(f"catalogue ok: {len(catalogue.models)} models, {len(catalogue.licences)} licences, "
              f"{len(catalogue.publishers)} publishers, {len(catalogue.hardware)} hardware items, "
              f"{len(catalogue.offers)} hosting offers")
        return 0
    catalogue = _catalogue(args)
    if args.action == "import":
        from . import hub

        draft = hub.draft_entry(args.repo, catalogue)
        if not args.write:
            _write(hub.dump(draft))
            return 0
        overlays = getattr(args, "catalogue", None) or []
        root = Path(overlays[-1]) if overlays else Path.cwd() / "catalogue"
        if not root.is_dir():
            raise AdvisorError([Problem("no catalogue directory to write into; pass --catalogue DIR",
                                        file=str(root))])
        path = hub.write_draft(draft, root)
        print(f"wrote {path}; review every field listed under 'unknown' before use")
        return 0
    if args.action == "check":
        from . import hub

        drifts = hub.check(catalogue, args.model)
        for d in drifts:
            print(d.render())
        checked = len(args.model) if args.model else len(catalogue.models)
        print(f"{checked} models checked against the Hub, {len(drifts)} differences", file=sys.stderr)
        return 0
    if args.action == "status":
        return catalogue_status(catalogue, args.format)
    if args.action == "list":
        from .listing import ROWS

        rows = ROWS[args.kind](catalogue)
        if args.format == "json":
            _write(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            from .render.table import listing_table, print_renderable

            print_renderable(listing_table(args.kind, rows))
        return 0
    model = catalogue.model(args.id)
    grades = model.fact_grades()
    data = {"model": model.model_dump(mode="json"),
            "evidence": {fact: grades.get(fact, "missing") for fact in DECISION_FACTS},
            "rankable": not (model.missing_facts or model.not_rankable),
            "licence": catalogue.licence_facts[model.id].model_dump(mode="json"),
            "publisher": catalogue.publishers[model.publisher].model_dump(mode="json")}
    if args.format == "json":
        _write(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        import yaml

        _write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    rules = _rules(args)
    if args.action == "list":
        rows = [{"id": r.id, "dimension": r.rule.dimension, "effect": r.rule.effect.kind,
                 "description": r.rule.description, "file": str(r.path)} for r in rules.rules]
        if args.format == "json":
            _write(json.dumps(rows, indent=2))
        else:
            from .render.table import print_renderable, rows_table

            print_renderable(rows_table(rows, ["id", "dimension", "effect", "description"],
                                        title=f"{len(rows)} rules"))
        return 0
    from .engine.ruletests import run_rule_tests

    if args.rule:
        if not any(r.id == args.rule for r in rules.rules):
            from .schema.paths import did_you_mean

            raise AdvisorError([Problem(f"no rule {args.rule!r}{did_you_mean(args.rule, [r.id for r in rules.rules])}",
                                        field="--rule")])
    results = run_rule_tests(rules, _catalogue(args), only=args.rule)
    failed = [r for r in results if not r.passed and not r.todo]
    todo = [r for r in results if r.todo]
    for r in failed:
        print(f"error: {r.file}: rule {r.rule}, case {r.case!r}: {r.detail}", file=sys.stderr)
    rule_count = len({r.rule for r in results})
    print(f"{rule_count} rules, {len(results)} cases: {len(results) - len(failed) - len(todo)} passed, "
          f"{len(failed)} failed, {len(todo)} todo")
    return 2 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .jsonschemas import json_schema

    _write(json.dumps(json_schema(args.name), indent=2, ensure_ascii=False))
    return 0


def cmd_wizard(args: argparse.Namespace) -> int:
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith("web_driver:WebDriver")  # advisor web (textual-serve)
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise AdvisorError("the wizard needs an interactive terminal; in scripts use 'advisor recommend FILE' "
                           "or 'advisor batch FILE'")
    try:
        from .tui import run_wizard
    except ImportError as exc:  # textual missing from a minimal install
        raise AdvisorError(f"the wizard needs the 'textual' package ({exc}); install advisor with its "
                           "dependencies, or use 'advisor recommend FILE'") from None
    initial = None
    if args.from_file:
        from .api import load_requirements

        initial = load_requirements(args.from_file)
    return run_wizard(_catalogue(args), _rules(args), initial=initial)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

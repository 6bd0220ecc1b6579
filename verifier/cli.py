"""The ``verify`` command.

Exit codes: 0 every step passed, 1 some step refuted / unknown / unparsed (or
checked where only proved is allowed), 2 usage or input errors.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from verifier.engine import sympy_deferred, sympy_speedups
from verifier.model.catalog import (
    UnknownDerivation,
    load_catalog,
    occurrence_key,
    select,
)
from verifier.model.exits import EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError
from verifier.model.limits import DEFAULT_BUDGET
from verifier.model.results import CHECKED, PROVED
from verifier.model.version import __version__
from verifier.output.catalog_run import cached_run, run_key, store_run
from verifier.output.report import derivations_json, make_console, print_derivations


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise UsageError(f"{message} (see 'verify --help')")


def positive_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not v > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return v


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return v


#: the output formats of `verify check`
CHECK_FORMATS = ("rich", "json", "github", "junit", "concise", "html")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="verify", description="Check mathematical derivations step by step.")
    p.add_argument("--version", action="version", version=f"derivation-verifier {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    a = sub.add_parser("all", help="check every derivation of the catalog")
    a.add_argument("ids", nargs="*", metavar="ID", help="only these ids (id or id@seed)")
    _common(a)
    a.add_argument("--allow", choices=["checked"], action="append", default=[],
                   help="also accept 'checked' (numeric evidence) as passing")

    ls = sub.add_parser("list", help="list the derivations of the catalog")
    ls.add_argument("--format", choices=["rich", "json"], default="rich")

    sh = sub.add_parser("show", help="show one derivation as LaTeX with the status of each step")
    sh.add_argument("ids", nargs="+", metavar="ID")
    _common(sh, formats=("rich", "json", "tex", "md"))
    sh.add_argument("--no-verify", action="store_true", help="print the chain without checking it")

    ex = sub.add_parser("export", help="write the catalog as LaTeX or Markdown for notes")
    ex.add_argument("ids", nargs="*", metavar="ID")
    ex.add_argument("--format", choices=["tex", "md", "json"], default="tex")
    ex.add_argument("--out", metavar="PATH", help="output file (or directory with --fragment)")
    ex.add_argument("--fragment", action="store_true", help="LaTeX fragments for \\input, one per derivation")
    ex.add_argument("--flavor", choices=["plain", "hugo"], default="plain",
                    help="Markdown for: plain (KaTeX/MathJax, or Hugo with the passthrough extension) or "
                         "hugo (math escaped for goldmark without passthrough)")
    ex.add_argument("--budget", type=positive_float, default=DEFAULT_BUDGET, metavar="SECONDS")
    ex.add_argument("--no-verify", action="store_true", help="export without checking (no status marks)")
    add_cache_flag(ex)

    ck = sub.add_parser("check", help="check the derivations written in Markdown or TeX notes")
    ck.add_argument("paths", nargs="+", metavar="PATH")
    _common(ck, formats=CHECK_FORMATS)
    ck.add_argument("--assume", action="append", default=[], metavar="ASSUMPTION",
                    help="state a domain: 'sigma>0', 'p<1', '0<p<1', 'x \\in (0,1)', 'y in {0,1}', 'n >= 1' "
                         "(repeatable)")
    ck.add_argument("--allow", choices=["checked", "unknown", "unparsed"], action="append", default=[],
                    help="also accept these statuses as passing (repeatable)")
    ck.add_argument("--exit-zero", action="store_true", help="exit 0 even when some step does not pass")
    ck.add_argument("--quiet", "-q", action="store_true", help="print only the steps that fail and the summary")
    ck.add_argument("--watch", action="store_true", help="check again whenever a note under PATH is saved")
    ck.add_argument("--out", metavar="PATH",
                    help="where --format junit / html writes (default: stdout)")
    ck.add_argument("--max-file-size", type=positive_int, default=None, metavar="BYTES",
                    help="largest note read (default 2000000 bytes)")
    ck.add_argument("--max-expr-size", type=positive_int, default=None, metavar="N",
                    help="largest expression read (characters / nodes; default 4000)")
    ck.add_argument("--max-total-time", type=positive_float, default=None, metavar="SECONDS",
                    help="time limit for the whole run (default 900s)")
    add_fast_commands(sub)
    return p


def _common(p: argparse.ArgumentParser, formats: Sequence[str] = ("rich", "json")) -> None:
    p.add_argument("--format", choices=list(formats), default="rich")
    add_deciding_flags(p)


def add_deciding_flags(p: argparse.ArgumentParser) -> None:
    """--budget, --jobs and --no-cache: how the steps of a command are decided."""
    p.add_argument("--budget", type=positive_float, default=DEFAULT_BUDGET, metavar="SECONDS",
                   help=f"time budget per step (default {DEFAULT_BUDGET:g}s)")
    p.add_argument("--jobs", "-j", type=positive_int, default=0, metavar="N",
                   help="steps decided at once (default: the number of cores)")
    add_cache_flag(p)


def cmd_all(args) -> int:
    console = make_console()
    interactive = args.format == "rich" and console.is_terminal
    started = time.monotonic()
    key = run_key(list(args.ids), args.budget)
    hit = cached_run(key)
    if hit is not None:
        results, keys = hit
    else:
        from verifier.output.progress import verify_with_progress  # the engine, only when it runs

        chosen = select(load_catalog(), args.ids)
        results = verify_with_progress(chosen, args.budget, args.jobs, show=interactive)
        keys = [occurrence_key(d) for d in chosen]
        store_run(key, results, keys)
    wall = time.monotonic() - started
    allow = (PROVED, CHECKED) if "checked" in args.allow else (PROVED,)
    if args.format == "json":
        print(derivations_json(results, keys))
    else:
        print_derivations(results, keys, console, allow, wall=wall)
        if hit is not None:
            console.print("[dim]Verdicts from the verdict cache (nothing they depend on changed); "
                          "`verify all --no-cache` decides every step afresh.[/dim]")
        if not all(r.passed(allow) for r in results):
            console.print("[red]Some steps are not proved.[/red] Details are above; "
                          "`verify show ID` prints a chain with the status of each step.")
    return EXIT_OK if all(r.passed(allow) for r in results) else EXIT_FAIL


def cmd_list(args) -> int:
    import json

    from rich.table import Table

    from verifier.output.terminal_text import terminal_text

    catalog = load_catalog()
    if args.format == "json":
        print(json.dumps([{"id": d.id, "occurrence": occurrence_key(d), "title": d.title,
                           "source": str(d.source) if d.source else "", "steps": d.step_count}
                          for d in catalog], ensure_ascii=False, indent=2))
        return EXIT_OK
    t = Table(title=f"Catalog: {len(catalog)} derivations, {len({d.id for d in catalog})} ids")
    for col in ("occurrence", "title", "source", "steps"):
        t.add_column(col)
    for d in catalog:  # titles and sources for people: the post's title and section, math as text
        t.add_row(occurrence_key(d), terminal_text(d.title), terminal_text(d.source.readable()) if d.source else "",
                  str(d.step_count))
    make_console().print(t)
    return EXIT_OK


def cmd_show(args) -> int:
    from verifier.output.show import show

    chosen = select(load_catalog(), args.ids)
    return show(chosen, args)


def cmd_export(args) -> int:
    try:
        from verifier.output.export import export
    except ImportError:
        raise UsageError("export is not available in this build") from None
    out = getattr(args, "out", None)
    if out and not Path(out).resolve().parent.is_dir():  # never create folders the user did not make
        raise UsageError(f"--out {out}: no such directory: {Path(out).parent} (make the folder first)")
    chosen = select(load_catalog(), args.ids)
    return export(chosen, args)


def cmd_check(args) -> int:
    return check_command(args)


COMMANDS = {"all": cmd_all, "list": cmd_list, "show": cmd_show, "export": cmd_export, "check": cmd_check,
            "cache": lambda args: cache_command(args), "steps": lambda args: steps_command(args)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_USAGE
        apply_cache_flag(args)
        code = COMMANDS[args.command](args)
        sys.stdout.flush()
        return code
    except UsageError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UnknownDerivation as exc:
        print(f"verify: error: unknown derivation id {exc.args[0]!r}; `verify list` shows the ids",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_stdout()


def _closed_stdout() -> int:
    """`verify ... | head`: the reader went away; end quietly (no traceback, nothing at exit)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_FAIL


#: SymPy's cache keeps 1,000 results unless told otherwise (read once, when SymPy is first imported, which
#: no command has done by now); the proofs and evaluations of one run reuse many more
SYMPY_CACHE_SIZE = "20000"


def entry() -> None:
    os.environ.setdefault("SYMPY_CACHE_SIZE", SYMPY_CACHE_SIZE)  # the user's own setting wins
    sympy_deferred.defer()  # SymPy's units and tensor module, loaded only if something uses them
    sympy_speedups.defer()  # faster equivalents of SymPy's slow paths, once SymPy is imported
    code = main()
    try:
        sys.stdout.flush()  # output still buffered goes now, while a closed pipe can be handled
    except BrokenPipeError:
        code = _closed_stdout()
    end_process(code)


def end_process(code: int) -> NoReturn:
    """End the command's process with this exit code once its output is flushed, its verdict store
    closed and its workers ended: ``os._exit``, without the interpreter's teardown, which frees every
    object one by one (SymPy's caches and the catalog: 0.05 to 0.1 s) and waits for the pool's threads.
    The command has nothing else to run at exit: only the pool registers a handler, and
    :func:`verifier.engine.pool.end_now` does its work."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    store, workers = sys.modules.get("verifier.engine.store"), sys.modules.get("verifier.engine.pool")
    if store is not None:  # (imported only by the commands that used them)
        store.close_default()
    if workers is not None:
        workers.end_now()
    os._exit(code)


def check_command(args) -> int:
    """`verify check PATH...` (with --watch: again on every save)."""
    if getattr(args, "watch", False):
        return _watch(args)
    return _check_once(args)


def _watch(args) -> int:
    try:
        from watchfiles import watch
    except ImportError:
        raise UsageError("--watch needs the watchfiles package (pip install watchfiles)") from None
    from verifier.notes.files import NOTE_SUFFIXES

    code = _check_once(args)
    roots = [p for p in args.paths if Path(p).exists()]
    print(f"watching {', '.join(roots)} (Ctrl-C stops)", file=sys.stderr)
    try:
        for changes in watch(*roots, watch_filter=lambda _c, path: Path(path).suffix.lower() in NOTE_SUFFIXES):
            names = sorted({str(Path(p)) for _c, p in changes})
            print(f"\nchanged: {', '.join(names)}", file=sys.stderr)
            try:
                code = _check_once(args)
            except UsageError as exc:  # a note saved half-way: say so and go on watching
                print(f"verify: error: {exc}", file=sys.stderr)
                code = EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return code


def _check_once(args) -> int:
    from verifier.model.results import STATUSES
    from verifier.notes.files import DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_TOTAL_TIME, Limits
    from verifier.notes.note_cache import cached_check
    from verifier.notes.scan import DEFAULT_MAX_EXPR_SIZE
    from verifier.output.check_report import print_concise, print_failures, print_pragma_problems, print_report
    from verifier.output.ci_formats import add_columns, github_annotations, junit_xml

    limits = Limits(max_file_size=getattr(args, "max_file_size", None) or DEFAULT_MAX_FILE_SIZE,
                    max_expr_size=getattr(args, "max_expr_size", None) or DEFAULT_MAX_EXPR_SIZE,
                    max_total_time=getattr(args, "max_total_time", None) or DEFAULT_MAX_TOTAL_TIME)
    fmt = getattr(args, "format", "rich")
    out = getattr(args, "out", None)
    if out and fmt not in ("junit", "html"):
        raise UsageError("--out is for --format junit or html")
    if out and not Path(out).resolve().parent.is_dir():
        raise UsageError(f"--out {out}: no such directory: {Path(out).parent} (make the folder first)")
    # every note in the store: the reader and the engine are not even imported
    report = cached_check(args.paths, args.assume, limits)
    if report is None:
        report = _check_afresh(args, limits, fmt)
        if isinstance(report, int):
            return report
    if report.block_count == 0:
        where = ", ".join(args.paths)
        print(f"verify: error: no display math found in {where} ({len(report.files)} "
              f"note{'s' if len(report.files) != 1 else ''} read); write derivations in $$...$$, \\[...\\] "
              "or an equation/align environment", file=sys.stderr)
        return EXIT_USAGE
    allow = (PROVED,) + tuple(s for s in getattr(args, "allow", []) if s in STATUSES)
    data = report.to_json()
    if fmt in ("json", "github", "concise", "html"):
        add_columns(data)
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "github":
        print(github_annotations(data, allow=allow), end="")
    elif fmt == "concise":
        print_concise(report, data, allow)
    elif fmt in ("junit", "html"):
        if fmt == "junit":
            text = junit_xml(data, allow=allow)
        else:
            from verifier.output.html import html_report

            text = html_report(report, data, allow=allow)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            print(f"wrote {out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
    elif getattr(args, "quiet", False):
        print_failures(report, allow)
    else:
        print_report(report, allow)
        print_pragma_problems(report)
    if getattr(args, "exit_zero", False):
        return EXIT_OK
    return EXIT_OK if report.passed(allow) else EXIT_FAIL


def _check_afresh(args, limits, fmt: str):
    """The report of `verify check`, every note read and decided (or the exit code of an input error)."""
    from rich.console import Console

    from verifier.notes.batches import check_paths
    from verifier.notes.domains import assumption
    from verifier.notes.files import InputError
    from verifier.notes.reader import Reader
    from verifier.output.progress import progress_bar

    try:
        probe = Reader()
        for a in args.assume:
            assumption(probe, a)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        bar_console = Console(file=sys.stderr)
        show = fmt == "rich" and not getattr(args, "quiet", False) and sys.stdout.isatty() \
            and bar_console.is_terminal
        with progress_bar(bar_console, show) as prog:
            task = prog.add_task("checking steps", total=None)
            return check_paths(args.paths, assumptions=args.assume, budget=args.budget, limits=limits,
                               jobs=getattr(args, "jobs", 0) or 0, on_step=lambda _s: prog.advance(task))
    except InputError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


# ----------------------------------------------------------------------------------------
# issue 12: the verdict cache and batches of steps
# ----------------------------------------------------------------------------------------
def add_cache_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-cache", action="store_true",
                   help="decide every step afresh: neither read nor write the verdict cache")


def add_fast_commands(sub) -> None:
    """`verify cache info|clear` and `verify steps FILE.jsonl`."""
    c = sub.add_parser("cache", help="the verdict cache: where it is, how big; clear it")
    c.add_argument("action", choices=["info", "clear"])
    c.add_argument("--format", choices=["rich", "json"], default="rich")
    st = sub.add_parser("steps", help="decide one step per line of a JSON Lines file; one JSON verdict per line")
    st.add_argument("file", metavar="FILE.jsonl", help="lines {\"id\", \"lhs\", \"rhs\", \"relation\", "
                    "\"assumptions\"} ('-' reads stdin)")
    add_deciding_flags(st)


def apply_cache_flag(args) -> None:
    if getattr(args, "no_cache", False):
        from verifier.engine import cache

        cache.set_enabled(False)


def cache_command(args) -> int:
    from verifier.engine.cache import VerdictCache

    store = VerdictCache()
    if args.action == "clear":
        n = store.clear()
        data = {"path": str(store.path), "cleared": n}
        if store.problem:
            data["problem"] = store.problem
        print(json.dumps(data) if args.format == "json" else f"cleared {n} cached verdicts from {store.path}")
        return EXIT_OK
    info = store.info()
    store.close()
    if args.format == "json":
        print(json.dumps(info, indent=2))
    else:
        print(f"verdict cache: {info['path']}\n  entries: {info['entries']} ({info['current']} for this engine, "
              f"{info['engine']})\n  size: {info['bytes']} bytes"
              + ("" if info["enabled"] else "\n  (disabled for this run)")
              + (f"\n  problem: {info['problem']}" if info.get("problem") else ""))
    return EXIT_OK


def steps_command(args) -> int:
    from verifier.engine.decide import default_jobs
    from verifier.notes.step_lines import decide_lines

    if args.file == "-":
        stream = sys.stdin
    else:
        try:
            stream = open(args.file, encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"verify: error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    ok = True
    try:
        for out in decide_lines(stream, args.budget, args.jobs or default_jobs()):
            ok = ok and out.get("status") == PROVED
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    except BrokenPipeError:  # the reader of stdout went away (| head): stop quietly
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_FAIL
    finally:
        if stream is not sys.stdin:
            stream.close()
    return EXIT_OK if ok else EXIT_FAIL

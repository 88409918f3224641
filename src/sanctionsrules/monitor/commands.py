"""The ``monitor`` command: a stream of transfers through the monitor, one line each, then the running totals.

    sanctionsrules monitor transfers.jsonl [--rules PATH] [--state PATH] [--format text|json] [--fail-on VERDICT]

Input is JSON lines (one transfer a line, read as a stream, so ``-`` can follow a live feed) or one JSON
document (an array of transfers). ``--state`` loads the saved state when the file exists and saves it at the end.
Exit codes, as ``check``: 0 nothing at or above ``--fail-on``; 1 something was; 2 bad input (each bad line is
reported with ``file:line`` and its JSON path, and not counted) or bad rules or state.

This module is imported by every ``sanctionsrules`` invocation to register the command: it imports nothing heavy
until the command runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from sanctionsrules.errors import InputError, Problem
    from sanctionsrules.model.transfer import Transfer
    from sanctionsrules.monitor.findings import MonitorResult, RunningTotal
    from sanctionsrules.monitor.monitor import Monitor

__all__ = ["PROGRESS_EVERY", "register"]

EXIT_OK, EXIT_FINDING, EXIT_BAD_INPUT = 0, 1, 2
PROGRESS_EVERY = 10_000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``monitor`` to the CLI's subcommands."""
    command = subparsers.add_parser(
        "monitor",
        help="run transfers in date order through the monitor (caps, split shipments, ship-to-ship chains)",
        description="Check each transfer alone and against the rules over many transfers, in date order; print one "
        "decision per transfer with its aggregate findings, then the running totals. Exit code 0: nothing at or "
        "above --fail-on; 1: something was; 2: bad input, rules or state.",
    )
    command.add_argument("file", help="JSON lines of transfers in date order (or a JSON array), or - for stdin")
    command.add_argument("--rules", type=Path, help="a rules tree or regime folder (default: the built-in rules)")
    command.add_argument("--state", type=Path, help="a state file: loaded if it exists, saved at the end")
    command.add_argument("--format", choices=("text", "json"), default="text")
    command.add_argument("--fail-on", type=_verdict, default="review",
                         help="exit 1 when a transfer is at or above this verdict (default: review)")
    command.add_argument("--progress", action="store_true",
                         help=f"report progress on stderr every {PROGRESS_EVERY:,} transfers (default: on a terminal)")
    command.add_argument("--no-name-screening", action="store_true",
                         help="judge designations by UN references only, not by screening names")
    command.set_defaults(func=_run)


def _verdict(text: str) -> Any:
    from sanctionsrules.verdict import Verdict

    try:
        return Verdict.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sanctionsrules.engine import ReferenceDesignations, compile_rules
    from sanctionsrules.errors import InputError
    from sanctionsrules.monitor.monitor import Monitor
    from sanctionsrules.ruleset import load_rules
    from sanctionsrules.verdict import Verdict

    fail_on = args.fail_on if isinstance(args.fail_on, Verdict) else Verdict.parse(args.fail_on)
    rules = compile_rules(load_rules(args.rules), ReferenceDesignations() if args.no_name_screening else None)
    state: Path | None = args.state
    monitor = Monitor.restore(state, rules) if state is not None and state.exists() else Monitor(rules)
    show_progress = args.progress or err.isatty()
    worst, bad, seen, found = Verdict.PERMITTED, 0, 0, 0
    with monitor:
        for line, parsed in _transfers(args.file):
            outcome = parsed if isinstance(parsed, InputError) else _observe(monitor, parsed, args.file, line)
            if isinstance(outcome, InputError):
                bad += 1
                _report(line, outcome, args.format, out, err)
                continue
            seen += 1
            found += len(outcome.findings)
            worst = max(worst, outcome.verdict)
            out.write((json.dumps(outcome.to_dict(), ensure_ascii=False) if args.format == "json"
                       else _result_text(outcome)) + "\n")
            if show_progress and seen % PROGRESS_EVERY == 0:
                err.write(f"monitor: {seen:,} transfers, {found:,} aggregate findings\n")
                err.flush()
        _summary(monitor, args.format, out)
        if state is not None:
            monitor.save(state)
    if bad:
        err.write(f"{bad} transfer(s) could not be read or were refused; they were not counted\n")
        return EXIT_BAD_INPUT
    return EXIT_FINDING if worst >= fail_on and worst > Verdict.PERMITTED else EXIT_OK


def _observe(monitor: Monitor, transfer: Transfer, file: str, line: int) -> MonitorResult | InputError:
    from sanctionsrules.errors import InputError, Problem
    from sanctionsrules.monitor.errors import OutOfOrderError, UndatedTransferError

    name = "<stdin>" if file == "-" else file
    try:
        return monitor.observe(transfer)
    except (OutOfOrderError, UndatedTransferError) as exc:
        code = "out-of-order" if isinstance(exc, OutOfOrderError) else "no-date"
        return InputError([Problem(code, str(exc), "$.date", name, line)])
    except InputError as exc:
        return InputError([p if p.line else Problem(p.code, p.message, p.path, name, line) for p in exc.problems])


def _transfers(file: str) -> Iterator[tuple[int, Transfer | InputError]]:
    """Transfers with their line numbers. JSON lines (the first line is a JSON object) are read one line at a
    time, so a live feed can be followed; anything else is read as one JSON document (an array of transfers)."""
    from sanctionsrules.errors import InputError, Problem
    from sanctionsrules.io import parse_transfer, read_transfers

    name = "<stdin>" if file == "-" else file
    try:
        stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield 0, InputError([Problem("unreadable", f"cannot read: {exc.strerror or exc}", "$", name)])
        return
    try:
        head: list[str] = []
        for raw in stream:
            head.append(raw)
            if raw.strip():
                break
        if not head or not _is_object(head[-1]):
            for parsed in read_transfers("".join(head) + stream.read(), name):
                yield parsed.line, parsed.transfer if parsed.transfer is not None else _error(parsed.error)
            return
        for number, raw in enumerate(itertools.chain(head[-1:], stream), start=len(head)):
            if raw.strip():
                try:
                    yield number, parse_transfer(raw, name, number)
                except InputError as exc:
                    yield number, exc
    except UnicodeDecodeError as exc:
        yield 0, InputError([Problem("encoding", f"not UTF-8 (byte {exc.start})", "$", name)])
    finally:
        if stream is not sys.stdin:
            stream.close()


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _error(error: InputError | None) -> InputError:
    assert error is not None
    return error


def _report(line: int, error: InputError, fmt: str, out: TextIO, err: TextIO) -> None:
    err.write(error.format_all() + "\n")
    if fmt == "json":
        out.write(json.dumps({"line": line, "error": [_problem(p) for p in error.problems]}) + "\n")


def _problem(problem: Problem) -> dict[str, Any]:
    return {"code": problem.code, "message": problem.message, "path": problem.path, "file": problem.file,
            "line": problem.line, "column": problem.column}


def _result_text(result: MonitorResult) -> str:
    decision = result.decision
    rules = ", ".join(decision.rules())
    head = f"{result.date} {result.transfer}: {str(result.verdict).upper()}"
    if result.verdict != decision.verdict or rules:
        head += f" (decision {decision.verdict}" + (f": {rules})" if rules else ")")
    lines = [head]
    for finding in result.findings:
        item = "" if finding.item is None else f" item {finding.item}"
        lines.append(f"  {finding.rule}{item} {finding.verdict}: {finding.message}")
    return "\n".join(lines)


def _summary(monitor: Monitor, fmt: str, out: TextIO) -> None:
    totals = monitor.totals()
    if fmt == "json":
        summary = {"transfers": monitor.observed,
                   "last_date": monitor.last_date.isoformat() if monitor.last_date else None,
                   "ruleset": {"digest": monitor.digest, "version": monitor.rules.ruleset.version},
                   "totals": [t.to_dict() for t in totals]}
        out.write(json.dumps({"summary": summary}, ensure_ascii=False) + "\n")
        return
    out.write(f"running totals after {monitor.observed:,} transfer(s)"
              + (f", the last on {monitor.last_date}" if monitor.last_date else "") + ":\n")
    if not totals:
        out.write("  (no cap has counted anything)\n")
        return
    out.write(_table(totals) + "\n")


def _table(totals: tuple[RunningTotal, ...]) -> str:
    from sanctionsrules.monitor.measure import amount_text, percent_text

    rows = [("RULE", "WHAT", "PERIOD", "TOTAL", "LIMIT", "%", "STATUS")]
    rows += [(t.rule, f"{t.label}{t.group}", t.period, f"{amount_text(t.total)} {t.unit}",
              f"{amount_text(t.limit)} {t.unit}", percent_text(t.fraction, floor=True), t.status) for t in totals]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {3, 4, 5}
    return "\n".join("  " + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                      for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip() for r in rows)

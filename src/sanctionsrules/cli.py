"""The ``sanctionsrules`` command. ``main(argv, stdout, stderr) -> int`` so tests run it in-process.

Exit codes: 0 every transfer permitted (or below ``--fail-on``); 1 a finding at or above ``--fail-on``;
2 bad input or bad rules, reported with its location and without a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sanctionsrules._version import __version__
from sanctionsrules.decision import Decision
from sanctionsrules.errors import InputError, Problem, RuleSetError, SanctionsRulesError
from sanctionsrules.verdict import Verdict

if TYPE_CHECKING:
    from sanctionsrules.engine import CompiledRuleSet

__all__ = ["console_main", "main"]

EXIT_OK, EXIT_FINDING, EXIT_BAD_INPUT = 0, 1, 2
_PLUGIN_COMMANDS = ("sanctionsrules.screening.commands", "sanctionsrules.monitor.commands")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print and exit; the caller decides instead
        raise _UsageError(f"{self.prog}: {message}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _verdict(text: str) -> Verdict:
    try:
        return Verdict.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every subcommand."""
    parser = _Parser(prog="sanctionsrules", description="Check transfers of goods against sanctions rules.")
    parser.add_argument("--version", action="version", version=f"sanctionsrules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check one transfer (JSON) or many (JSON lines)")
    check.add_argument("file", help="a JSON file, a JSON lines file, or - for standard input")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--as-of", type=_date, help="the date for transfers that carry none (default: today)")
    check.add_argument("--rules", type=Path, help="a rules tree or regime folder (default: the built-in rules)")
    check.add_argument(
        "--fail-on",
        type=_verdict,
        default=Verdict.REVIEW,
        help="exit 1 when a decision is at or above this verdict (default: review)",
    )
    check.add_argument("--workers", type=int, default=1, help="processes for large batches (default: 1)")
    check.add_argument(
        "--no-name-screening",
        action="store_true",
        help="judge designations by UN references on the parties only, not by their names",
    )
    check.set_defaults(func=_cmd_check)

    lint = sub.add_parser("lint", help="report every problem in a rules tree")
    lint.add_argument("path", nargs="?", type=Path, help="rules tree, regime folder or file (default: built-in)")
    lint.set_defaults(func=_cmd_lint)

    rules = sub.add_parser("rules", help="list the regimes and rules with their basis and dates")
    rules.add_argument("--regime", help="only this regime (for example un-dprk)")
    rules.add_argument("--rules", type=Path)
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(func=_cmd_rules)

    explain = sub.add_parser("explain", help="show one rule with its conditions in words")
    explain.add_argument("rule_id")
    explain.add_argument("--rules", type=Path)
    explain.set_defaults(func=_cmd_explain)

    schema = sub.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("what", choices=("transfer", "ruleset"))
    schema.set_defaults(func=_cmd_schema)

    for module in _PLUGIN_COMMANDS:
        # Each optional part adds its own subcommands; a part that is not there is simply not offered.
        package = module.rpartition(".")[0]
        if importlib.util.find_spec(package) is not None and importlib.util.find_spec(module) is not None:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; return the exit code. Never raises for bad input or bad rules."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        code: int = args.func(args, out, err)
        return code
    except RuleSetError as exc:
        err.write(exc.format_all() + "\n")
        err.write(f"{len(exc.problems)} problem(s) in the rules; nothing was checked\n")
        return EXIT_BAD_INPUT
    except InputError as exc:
        err.write(exc.format_all() + "\n")
        return EXIT_BAD_INPUT
    except SanctionsRulesError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        err.write(f"error: {exc.filename or ''}: {exc.strerror or exc}\n")
        return EXIT_BAD_INPUT


def console_main() -> None:
    """Entry point of the installed ``sanctionsrules`` script."""
    raise SystemExit(main())


# -- check ---------------------------------------------------------------------------------------------------
def _read_input(name: str) -> tuple[str, str]:
    if name == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return Path(name).read_text(encoding="utf-8"), name
    except UnicodeDecodeError as exc:
        raise InputError([Problem("encoding", f"not UTF-8 (byte {exc.start})", "$", name)]) from None


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sanctionsrules.engine import compile_rules
    from sanctionsrules.io import looks_like_json_lines
    from sanctionsrules.ruleset import load_rules

    text, name = _read_input(args.file)
    from sanctionsrules.engine import ReferenceDesignations

    designations = ReferenceDesignations() if args.no_name_screening else None
    compiled = compile_rules(load_rules(args.rules), designations)
    as_of = args.as_of or dt.date.today()
    worst = Verdict.PERMITTED
    bad = 0
    if looks_like_json_lines(text) and args.format == "json":
        # The batch path: workers parse, check and serialise; this process only writes lines out.
        for result in compiled.check_json_lines(text.splitlines(), file=name, as_of=as_of, workers=args.workers):
            if result.error is not None:
                bad += 1
                _report_bad(result.line, result.error, args.format, out, err)
                continue
            assert result.verdict is not None and result.output is not None
            worst = max(worst, result.verdict)
            out.write(result.output + "\n")
    else:
        for line, outcome in _check_document(compiled, text, name, as_of):
            if isinstance(outcome, InputError):
                bad += 1
                _report_bad(line, outcome, args.format, out, err)
                continue
            worst = max(worst, outcome.verdict)
            if args.format == "json":
                out.write(json.dumps(outcome.to_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(_decision_text(outcome) + "\n")
    if bad:
        err.write(f"{bad} transfer(s) could not be read; no verdict was given for them\n")
        return EXIT_BAD_INPUT
    return EXIT_FINDING if worst >= args.fail_on and worst > Verdict.PERMITTED else EXIT_OK


def _report_bad(line: int, error: InputError, fmt: str, out: TextIO, err: TextIO) -> None:
    err.write(error.format_all() + "\n")
    if fmt == "json":
        out.write(json.dumps({"line": line, "error": [_problem_json(p) for p in error.problems]}) + "\n")


def _check_document(
    compiled: CompiledRuleSet, text: str, name: str, as_of: dt.date
) -> Iterator[tuple[int, Decision | InputError]]:
    # One JSON object, an array of them, or JSON lines: read_transfers tells them apart and numbers the lines.
    from sanctionsrules.io import located, read_transfers

    for parsed in read_transfers(text, name):
        if parsed.transfer is None:
            assert parsed.error is not None
            yield parsed.line, parsed.error
            continue
        try:
            yield parsed.line, compiled.check(parsed.transfer, as_of=as_of)
        except InputError as exc:
            yield parsed.line, located(exc, name, parsed.line)


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "message": problem.message,
        "path": problem.path,
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
    }


def _decision_text(decision: Decision) -> str:
    cov = decision.coverage
    dated = "" if decision.dated_by == "transfer" else " (the transfer has no date)"
    lines = [
        f"{decision.transfer}: {str(decision.verdict).upper()}",
        f"  as of {decision.as_of}{dated}; checked {', '.join(cov.regimes)}: "
        f"{cov.rules_in_force} of {cov.rules_total} rules in force; {len(decision.findings)} finding(s)",
    ]
    if decision.findings:
        rows = [("VERDICT", "RULE", "ITEM", "BASIS")]
        rows += [(str(f.verdict), f.rule, "-" if f.item is None else str(f.item), f.basis) for f in decision.findings]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        table = ["  " + "  ".join(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)) + "  " + r[3] for r in rows]
        lines.append(table[0])
        for finding, row in zip(decision.findings, table[1:], strict=True):
            lines.append(row)
            lines.append(f"      {finding.title}")
            if finding.because:
                lines.append("      because: " + "; ".join(finding.because))
            if finding.missing:
                lines.append("      missing: " + "; ".join(finding.missing))
            if finding.exemption:
                lines.append(
                    f"      exempted by {finding.exemption} ({finding.exemption_basis}); "
                    f"the rule alone says {finding.rule_verdict}"
                )
    return "\n".join(lines)


# -- lint, rules, explain, schema ----------------------------------------------------------------------------
def _cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sanctionsrules.ruleset import builtin_rules_path, lint_rules

    problems = lint_rules(args.path)
    if not problems and importlib.util.find_spec("sanctionsrules.monitor") is not None:
        from sanctionsrules.monitor import lint_aggregates
        from sanctionsrules.ruleset import load_rules

        problems = lint_aggregates(load_rules(args.path))
    target = args.path or builtin_rules_path()
    if problems:
        for problem in problems:
            err.write(problem.format() + "\n")
        err.write(f"{len(problems)} problem(s) in {target}\n")
        return EXIT_BAD_INPUT
    out.write(f"{target}: ok\n")
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sanctionsrules.ruleset import load_rules

    ruleset = load_rules(args.rules)
    regimes = [r for r in ruleset.regimes if args.regime in (None, r.id)]
    if not regimes:
        known = ", ".join(r.id for r in ruleset.regimes)
        err.write(f"error: no regime {args.regime!r} (known: {known})\n")
        return EXIT_BAD_INPUT
    chosen = {r.id for r in regimes}
    rules = [r for r in ruleset.rules if r.regime in chosen]
    if args.format == "json":
        payload = [
            {
                "id": r.id,
                "title": r.title,
                "basis": r.basis,
                "verdict": str(r.verdict),
                "binding": r.binding,
                "in_force": {"from": r.start.isoformat(), "to": r.end.isoformat() if r.end else None},
            }
            for r in rules
        ]
        out.write(json.dumps(payload, indent=2) + "\n")
        return EXIT_OK
    for regime in regimes:
        out.write(f"{regime.id}: {regime.title} ({regime.authority}), version {regime.version}\n")
        rows = [(r.id, str(r.verdict), f"{r.start}..{r.end or ''}", r.basis) for r in rules if r.regime == regime.id]
        widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else [0, 0, 0]
        for row in rows:
            out.write("  " + "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3] + "\n")
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sanctionsrules.engine.compiler import describe, uses_item
    from sanctionsrules.ruleset import load_rules
    from sanctionsrules.ruleset.conditions import suggest

    ruleset = load_rules(args.rules)
    try:
        rule = ruleset.rule(args.rule_id)
    except KeyError:
        err.write(f"error: no rule {args.rule_id!r}{suggest(args.rule_id, [r.id for r in ruleset.rules])}\n")
        return EXIT_BAD_INPUT
    defines = ruleset.defines[rule.regime]
    lines = [
        f"{rule.id}: {rule.title}",
        f"  basis:     {rule.basis}",
        f"  in force:  from {rule.start}" + (f" to {rule.end}" if rule.end else " (no end date)"),
        f"  verdict:   {rule.verdict}" + ("" if rule.binding else " (advisory: the text only calls upon states)"),
        f"  applies:   {'to each goods item' if uses_item(rule.condition, defines) else 'to the whole transfer'}",
        f"  when:      {describe(rule.condition, defines)}",
        f"  source:    {rule.source.file}:{rule.source.line}",
    ]
    if rule.notes:
        lines.append(f"  notes:     {rule.notes}")
    if rule.verification:
        lines.append(f"  verified:  {rule.verification}")
    exemptions = [e for e in ruleset.exemptions if rule.id in e.covers]
    for exemption in exemptions:
        lines.append(
            f"  exemption: {exemption.id} ({exemption.basis}): {exemption.title}; "
            f"when {describe(exemption.condition, defines)}, at most {exemption.effect}"
        )
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.what == "transfer":
        from sanctionsrules.model import Transfer

        schema = Transfer.model_json_schema()
    else:
        from sanctionsrules.ruleset.schema import InstrumentDoc

        schema = InstrumentDoc.model_json_schema(by_alias=True)
    out.write(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    return EXIT_OK

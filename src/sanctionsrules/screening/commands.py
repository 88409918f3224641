"""CLI glue: the ``screen`` and ``lists`` subcommands, registered on the project's argparse parser.

Every subcommand sets ``func(args, stdout, stderr) -> int``. Exit codes: 0 success (for ``screen``: no strong
or possible match), 1 ``screen`` found a match, 2 bad input (the message names the file and the problem; no
traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .diff import SnapshotDiff, diff_snapshots
from .errors import ScreeningError
from .matcher import Screener, ScreeningMatch
from .records import RecordKind, Snapshot
from .snapshot import load_default_snapshot, open_list, write_snapshot
from .un_xml import import_un_xml

__all__ = ["EXIT_BAD_INPUT", "EXIT_MATCH", "EXIT_OK", "register"]

EXIT_OK = 0
EXIT_MATCH = 1
EXIT_BAD_INPUT = 2

_Command = Callable[[argparse.Namespace, TextIO, TextIO], int]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``screen`` and ``lists`` (``lists import un``, ``lists diff``) to a CLI's subparsers."""
    screen = subparsers.add_parser(
        "screen",
        help="screen a party name against the UN consolidated list",
        description="Screen a party against the UN Security Council Consolidated List. "
        "Exit code 0: no match; 1: a strong or possible match; 2: bad input.",
    )
    screen.add_argument("name", help="party name (a UN reference number such as KPe.001 also works)")
    screen.add_argument("--country", help="party country: ISO code (KP) or name")
    screen.add_argument("--kind", choices=[k.value for k in RecordKind], help="what the party is")
    screen.add_argument("--dob", metavar="YYYY-MM-DD", help="date of birth (or just YYYY)")
    screen.add_argument(
        "--id",
        dest="identifiers",
        action="append",
        default=[],
        metavar="NUMBER",
        help="passport, national id, IMO or UN reference number (repeatable)",
    )
    screen.add_argument("--as-of", metavar="YYYY-MM-DD", help="ignore designations listed after this date")
    screen.add_argument("--list", metavar="PATH", help="snapshot or UN XML file (default: the shipped snapshot)")
    screen.add_argument("--limit", type=int, default=5, help="most matches to show (default 5)")
    screen.add_argument("--format", choices=("text", "json"), default="text")
    screen.set_defaults(func=_guarded("screen", _run_screen))

    lists = subparsers.add_parser("lists", help="import and compare sanctions lists")
    commands = lists.add_subparsers(dest="lists_command", metavar="COMMAND", required=True)
    importer = commands.add_parser("import", help="import a published list into a snapshot")
    sources = importer.add_subparsers(dest="list_source", metavar="SOURCE", required=True)
    un = sources.add_parser(
        "un",
        help="UN Security Council Consolidated List XML",
        description="Import UN consolidated-list XML into a normalised snapshot file.",
    )
    un.add_argument("file", help="the UN consolidated.xml file")
    un.add_argument("-o", "--output", help="snapshot to write (default: un-consolidated-<dateGenerated>.json.gz)")
    un.set_defaults(func=_guarded("lists import un", _run_import_un))
    diff = commands.add_parser(
        "diff",
        help="designations added, removed and changed between two lists",
        description="Compare two lists; each may be UN XML or a snapshot file.",
    )
    diff.add_argument("old", help="older list (XML or snapshot)")
    diff.add_argument("new", help="newer list (XML or snapshot)")
    diff.add_argument("--regime", action="append", metavar="REGIME", help="only this regime, e.g. DPRK (repeatable)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.set_defaults(func=_guarded("lists diff", _run_diff))


def _guarded(name: str, command: _Command) -> _Command:
    """Turn ScreeningError into a one-line message and exit code 2."""

    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        try:
            return command(args, stdout, stderr)
        except ScreeningError as exc:
            print(f"sanctionsrules {name}: error: {exc}", file=stderr)
            return EXIT_BAD_INPUT

    return run


def _parse_date(text: str | None, option: str, *, year_allowed: bool = False) -> dt.date | int | None:
    if text is None:
        return None
    text = text.strip()
    if year_allowed and len(text) == 4 and text.isdigit():
        return int(text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        expected = "YYYY-MM-DD or YYYY" if year_allowed else "YYYY-MM-DD"
        raise ScreeningError(f"{option} {text!r} is not a valid date ({expected})") from None


def _run_screen(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    snapshot = open_list(args.list) if args.list else load_default_snapshot()
    as_of = _parse_date(args.as_of, "--as-of")
    assert as_of is None or isinstance(as_of, dt.date)
    matches = Screener(snapshot).screen(
        args.name,
        country=args.country,
        kind=args.kind,
        date_of_birth=_parse_date(args.dob, "--dob", year_allowed=True),
        identifiers=args.identifiers,
        as_of=as_of,
        limit=args.limit,
    )
    if args.format == "json":
        document = {
            "query": {
                "name": args.name,
                "country": args.country,
                "kind": args.kind,
                "date_of_birth": args.dob,
                "identifiers": args.identifiers,
                "as_of": args.as_of,
            },
            "list": _provenance(snapshot),
            "matches": [m.to_dict() for m in matches],
        }
        json.dump(document, stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        _print_matches(args.name, snapshot, matches, stdout)
    return EXIT_MATCH if matches else EXIT_OK


def _provenance(snapshot: Snapshot) -> dict[str, object]:
    p = snapshot.provenance
    return {
        "list_name": p.list_name,
        "date_generated": p.date_generated,
        "source_name": p.source_name,
        "source_sha256": p.source_sha256,
        "designations": len(snapshot),
    }


def _print_matches(name: str, snapshot: Snapshot, matches: list[ScreeningMatch], out: TextIO) -> None:
    p = snapshot.provenance
    print(
        f"Screened {name!r} against the {p.list_name} of {p.date_generated} ({len(snapshot)} designations).",
        file=out,
    )
    if not matches:
        print("No strong or possible match.", file=out)
        return
    for match in matches:
        listed = f", listed {match.listed_on.isoformat()}" if match.listed_on else ""
        print(file=out)
        print(
            f"{match.band.value.upper():<8} {match.score:5.1f}  {match.reference}  {match.primary_name}",
            file=out,
        )
        print(f"{'':16}{match.regime}, {match.kind.value}{listed}", file=out)
        quality = f" ({match.alias_quality})" if match.alias_quality else ""
        print(f"{'':16}matched {match.matched_via}: {match.matched_name}{quality}", file=out)
        for reason in match.reasons:
            print(f"{'':16}- {reason}", file=out)


def _run_import_un(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    snapshot = import_un_xml(args.file)
    output = Path(args.output or f"un-consolidated-{snapshot.provenance.generated_on.isoformat()}.json.gz")
    write_snapshot(snapshot, output)
    people = sum(1 for d in snapshot if d.kind is RecordKind.PERSON)
    provenance = snapshot.provenance
    print(
        f"Wrote {output}: {len(snapshot)} designations ({people} individuals, {len(snapshot) - people} "
        f"entities) from {provenance.source_name}, dateGenerated {provenance.date_generated}, "
        f"sha256 {provenance.source_sha256}.",
        file=stdout,
    )
    return EXIT_OK


def _run_diff(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    old, new = open_list(args.old), open_list(args.new)
    result = diff_snapshots(old, new, regimes=args.regime)
    if args.format == "json":
        json.dump(result.to_dict(), stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        _print_diff(result, args.regime, stdout)
    return EXIT_OK


def _print_diff(result: SnapshotDiff, regimes: list[str] | None, out: TextIO) -> None:
    scope = f" (regimes: {', '.join(regimes)})" if regimes else ""
    print(
        f"{result.old.source_name} ({result.old.date_generated}) -> "
        f"{result.new.source_name} ({result.new.date_generated}){scope}",
        file=out,
    )
    print(
        f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed in substance",
        file=out,
    )
    for title, designations in (("Added", result.added), ("Removed", result.removed)):
        if designations:
            print(f"\n{title}:", file=out)
            for d in designations:
                listed = f", listed {d.listed_on.isoformat()}" if d.listed_on else ""
                print(f"  {d.reference:<9} {d.primary_name}  ({d.regime}{listed})", file=out)
    if result.changed:
        print("\nChanged:", file=out)
        for change in result.changed:
            print(f"  {change.reference:<9} {change.new.primary_name}  ({change.new.regime})", file=out)
            for field in change.fields:
                for value in field.removed:
                    print(f"      {field.field}: - {value}", file=out)
                for value in field.added:
                    print(f"      {field.field}: + {value}", file=out)

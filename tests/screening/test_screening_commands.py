"""The ``screen`` and ``lists`` subcommands, run through argparse as the project CLI will run them."""

from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path

import pytest

from sanctionsrules.screening import read_snapshot
from sanctionsrules.screening.commands import register


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="sanctionsrules")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, out, err)
    return code, out.getvalue(), err.getvalue()


def test_screen_match_and_no_match() -> None:
    code, out, err = run("screen", "Korea Mining Development Trading Corp", "--country", "KP")
    assert (code, err) == (1, "")
    assert "STRONG" in out
    assert "KPe.001" in out
    assert "country KP agrees" in out
    code, out, _ = run("screen", "Acme Widgets GmbH")
    assert code == 0
    assert "No strong or possible match." in out


def test_screen_json() -> None:
    code, out, _ = run("screen", "KOMID", "--format", "json", "--kind", "organisation", "--as-of", "2020-01-01")
    assert code == 1
    document = json.loads(out)
    assert document["list"]["date_generated"] == "2026-05-08T23:00:06.922Z"
    assert document["matches"][0]["reference"] == "KPe.001"
    assert document["matches"][0]["band"] == "strong"


def test_screen_with_identifier_and_dob() -> None:
    code, out, _ = run("screen", "Kim Kwang Il", "--id", "PS381420397", "--dob", "1969-09-01")
    assert code == 1
    assert "passport PS381420397 matched (decisive)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("screen", "Kim", "--dob", "1969-13-01"), "--dob '1969-13-01' is not a valid date"),
        (("screen", "Kim", "--as-of", "yesterday"), "--as-of 'yesterday' is not a valid date"),
        (("screen", "Kim", "--country", "Atlantis"), "unknown country 'Atlantis'"),
        (("screen", "Kim", "--list", "/nonexistent/list.json.gz"), "/nonexistent/list.json.gz: cannot read"),
        (("lists", "import", "un", "/nonexistent/consolidated.xml"), "/nonexistent/consolidated.xml: cannot read"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv: tuple[str, ...], message: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_import_writes_a_snapshot_named_after_date_generated(
    un_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("lists", "import", "un", str(un_dir / "consolidated-2017-07-03.xml"))
    assert code == 0
    written = tmp_path / "un-consolidated-2017-07-03.json.gz"
    assert written.is_file()
    assert "1021 designations (650 individuals, 371 entities)" in out
    assert read_snapshot(written).provenance.date_generated == "2017-07-03T20:27:45.483-04:00"
    code, _, _ = run("lists", "import", "un", str(un_dir / "consolidated-2026-01-28.xml"), "-o", "x.json.gz")
    assert code == 0
    assert gzip.decompress((tmp_path / "x.json.gz").read_bytes()).startswith(b'{"format"')


def test_diff_xml_against_snapshot(un_dir: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "new.json.gz"
    assert run("lists", "import", "un", str(un_dir / "consolidated-2026-05-08.xml"), "-o", str(snapshot))[0] == 0
    old = str(un_dir / "consolidated-2026-01-28.xml")
    code, out, _ = run("lists", "diff", old, str(snapshot), "--regime", "DPRK")
    assert code == 0
    assert "0 added, 0 removed, 1 changed in substance" in out
    assert "identifiers: + passport 108210124 [type Passport; expires 2023-06-04]" in out
    code, out, _ = run("lists", "diff", old, str(snapshot), "--format", "json")
    document = json.loads(out)
    assert (len(document["added"]), len(document["removed"]), len(document["changed"])) == (11, 1, 29)


def test_diff_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<CONSOLIDATED_LIST", encoding="utf-8")
    code, _, err = run("lists", "diff", str(bad), str(bad))
    assert code == 2
    assert "bad.xml: not well-formed XML" in err

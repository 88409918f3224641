"""``sanctionsrules monitor``: one line per transfer, a summary, exit codes, located errors, state files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sanctionsrules.cli import main
from sanctionsrules.monitor import commands

from .support import FIXTURE_RULES, transfer

RULES = ["--rules", str(FIXTURE_RULES), "--no-name-screening"]


def lines_of(*numbers_amounts: tuple[int, str, int]) -> list[str]:
    return [transfer(n, day, amount=amount).model_dump_json(exclude_none=True) for n, day, amount in numbers_amounts]


def write(tmp_path: Path, lines: list[str], name: str = "stream.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_text_output_shows_each_decision_its_findings_and_the_running_totals(tmp_path: Path) -> None:
    stream = write(tmp_path, lines_of((1, "2019-02-01", 400_000), (2, "2019-03-01", 80_000), (3, "2019-04-01", 1)))
    code, out, err = run("monitor", str(stream), *RULES)
    assert code == 1, err
    assert "2019-02-01 T1: PERMITTED" in out
    assert "un-dprk.2397.5-cap item 0 permitted: refined petroleum to KP in 2019: 400,000 of 500,000 bbl, 80%: " \
           "75% notice" in out
    assert "2019-04-01 T3: PROHIBITED (decision permitted)" in out
    summary = out.split("running totals after 3 transfer(s), the last on 2019-04-01:\n")[1]
    assert "un-dprk.2397.5-cap" in summary and "480,001 bbl" in summary and "supply stopped at 95%" in summary
    assert err == ""


def test_json_output_ends_with_a_summary_line(tmp_path: Path) -> None:
    stream = write(tmp_path, lines_of((1, "2019-02-01", 100), (2, "2019-02-02", 200)))
    code, out, _err = run("monitor", str(stream), *RULES, "--format", "json", "--fail-on", "prohibited")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["transfer"] for r in records[:2]] == ["T1", "T2"]
    assert records[1]["aggregates"][0]["total"]["amount"] == "300"
    assert records[1]["decision"]["verdict"] == "permitted"
    summary = records[-1]["summary"]
    assert summary["transfers"] == 2 and summary["totals"][0]["total"] == "300"


def test_a_bad_line_is_located_reported_and_skipped(tmp_path: Path) -> None:
    good = lines_of((1, "2019-02-01", 100), (3, "2019-02-03", 100))
    bad = json.loads(good[0]) | {"id": "T2", "goods": [{"hs_code": "27-X", "category": "refined_petroleum"}]}
    stream = write(tmp_path, [good[0], json.dumps(bad), "{not json", good[1]])
    code, out, err = run("monitor", str(stream), *RULES)
    assert code == 2
    assert f"{stream}:2: error[bad-hs-code] $.goods[0].hs_code" in err
    assert f"{stream}:3:" in err and "bad-json" in err
    assert "Traceback" not in err
    assert "T3: PERMITTED" in out and "200 of 500,000 bbl" in out  # the rest was counted


def test_out_of_order_and_undated_lines_are_refused_with_their_line(tmp_path: Path) -> None:
    lines = lines_of((1, "2019-02-02", 100), (2, "2019-02-01", 5000), (3, "2019-02-03", 100))
    undated = json.loads(lines[2]) | {"id": "T4"}
    del undated["date"]
    stream = write(tmp_path, [*lines, json.dumps(undated)])
    code, out, err = run("monitor", str(stream), *RULES, "--format", "json")
    assert code == 2
    assert f"{stream}:2: error[out-of-order] $.date: transfer 'T2' is dated 2019-02-01" in err
    assert f"{stream}:4: error[no-date] $.date" in err
    records = [json.loads(line) for line in out.splitlines()]
    assert records[1] == {"line": 2, "error": [{"code": "out-of-order", "message": records[1]["error"][0]["message"],
                                                "path": "$.date", "file": str(stream), "line": 2, "column": 0}]}
    assert records[-1]["summary"]["totals"][0]["total"] == "200"


def test_the_state_file_carries_the_totals_from_one_run_to_the_next(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = write(tmp_path, lines_of((1, "2019-02-01", 300_000)), "first.jsonl")
    second = write(tmp_path, lines_of((2, "2019-03-01", 90_000)), "second.jsonl")
    assert run("monitor", str(first), *RULES, "--state", str(state))[0] == 0
    code, out, _err = run("monitor", str(second), *RULES, "--state", str(state))
    assert code == 0
    assert "390,000 of 500,000 bbl, 78%: 75% notice" in out
    assert "running totals after 2 transfer(s)" in out
    # A state made with other rules is refused, without a traceback.
    code, _out, err = run("monitor", str(second), "--rules", str(FIXTURE_RULES / "un" / "dprk" / "2397.yaml"),
                          "--state", str(state), "--no-name-screening")
    assert code == 2 and "made with another rule set" in err and "Traceback" not in err


def test_a_json_array_and_standard_input_are_read_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    array = "[" + ",\n".join(lines_of((1, "2019-02-01", 100), (2, "2019-02-02", 100))) + "]"
    monkeypatch.setattr("sys.stdin", io.StringIO(array))
    code, out, _err = run("monitor", "-", *RULES)
    assert code == 0 and "200 of 500,000 bbl" in out


def test_progress_is_reported_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "PROGRESS_EVERY", 2)
    stream = write(tmp_path, lines_of(*((n, "2019-02-01", 1) for n in range(5))))
    _code, _out, err = run("monitor", str(stream), *RULES, "--progress")
    assert err.splitlines() == ["monitor: 2 transfers, 2 aggregate findings",
                                "monitor: 4 transfers, 4 aggregate findings"]
    _code, _out, quiet = run("monitor", str(stream), *RULES)
    assert quiet == ""  # not a terminal, not asked


def test_bad_rules_and_missing_files_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _out, err = run("monitor", str(tmp_path / "nowhere.jsonl"), *RULES)
    assert code == 2 and "cannot read" in err
    broken = tmp_path / "rules"
    for part in ("taxonomy", "un/dprk"):
        (broken / part).mkdir(parents=True)
    (broken / "taxonomy" / "goods.yaml").write_text((FIXTURE_RULES / "taxonomy" / "goods.yaml").read_text())
    (broken / "un/dprk/regime.yaml").write_text((FIXTURE_RULES / "un/dprk/regime.yaml").read_text())
    (broken / "un/dprk/2397.yaml").write_text(
        (FIXTURE_RULES / "un/dprk/2397.yaml").read_text().replace("verdict: review", "verdict: prohibited"))
    stream = write(tmp_path, lines_of((1, "2019-02-01", 1)))
    code, _out, err = run("monitor", str(stream), "--rules", str(broken))
    assert code == 2 and "error[pattern-too-severe] $.aggregates[2].verdict" in err and "2397.yaml:" in err

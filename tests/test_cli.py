"""The command line, in-process through main(argv), and once through the installed console script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sanctionsrules.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.json") if not p.name.endswith(".expected.json")))
def test_seeds_give_their_expected_decision(seed: str) -> None:
    expected = json.loads((SEEDS / seed.replace(".json", ".expected.json")).read_text())
    code, out, err = run("check", str(SEEDS / seed), "--format", "json")
    decision = json.loads(out)
    assert decision["verdict"] == expected["verdict"], out
    assert set(expected["rules"]) <= {f["rule"] for f in decision["findings"]}, out
    for finding in decision["findings"]:
        assert finding["rule"] and finding["verdict"] and finding["basis"]
    assert code == (0 if expected["verdict"] == "permitted" else 1), err
    assert decision["coverage"]["regimes"] == ["un-dprk"] and decision["coverage"]["rules_in_force"] > 0


def test_aurus_cites_1718_op_8a_iii() -> None:
    code, out, _ = run("check", str(SEEDS / "aurus-senat-gift-2024.json"), "--format", "json")
    decision = json.loads(out)
    assert code == 1
    assert decision["verdict"] == "prohibited"
    finding = next(f for f in decision["findings"] if f["rule"] == "un-dprk.1718.8a-iii")
    assert finding["basis"] == "UNSCR 1718 (2006), OP 8(a)(iii)"
    assert finding["item"] == 0
    assert "recipient.acting_for.country is KP" in finding["because"]


def test_text_output_reads_at_a_glance() -> None:
    code, out, _ = run("check", str(SEEDS / "aurus-senat-gift-2024.json"))
    assert code == 1
    assert out.splitlines()[0] == "aurus-senat-gift-2024-02: PROHIBITED"
    assert "un-dprk.1718.8a-iii" in out and "UNSCR 1718 (2006), OP 8(a)(iii)" in out


def test_fail_on_threshold(tmp_path: Path) -> None:
    transfer = {"id": "t", "date": "2020-01-01", "destination": "KP", "goods": [{"description": "unknown"}]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transfer))
    assert run("check", str(path))[0] == 1  # review is at the default threshold
    assert run("check", str(path), "--fail-on", "prohibited")[0] == 0


def test_json_lines_batch(tmp_path: Path) -> None:
    lines = [
        json.loads((SEEDS / f"{name}.json").read_text()) for name in ("aurus-senat-gift-2024", "us-aid-to-ukraine-2024")
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    code, out, _ = run("check", str(path), "--format", "json")
    verdicts = [json.loads(line)["verdict"] for line in out.splitlines()]
    assert verdicts == ["prohibited", "permitted"]
    assert code == 1


def test_as_of_dates_undated_transfers(tmp_path: Path) -> None:
    transfer = json.loads((SEEDS / "aurus-senat-gift-2024.json").read_text())
    del transfer["date"]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transfer))
    code, out, _ = run("check", str(path), "--format", "json", "--as-of", "2006-10-13")
    decision = json.loads(out)
    assert (code, decision["verdict"], decision["as_of"], decision["dated_by"]) == (
        0,
        "permitted",
        "2006-10-13",
        "as_of",
    )


@pytest.mark.parametrize(
    ("content", "where", "code_name"),
    [
        ('{"id": "x", "destination": "KP",\n "goods": [}', "t.json:2:12", "bad-json"),
        ('{"id": "x", "destination": "QQ"}', "$.destination", "unknown-country"),
        ('{"id": "x", "goods": [{"hs_code": "87x"}]}', "$.goods[0].hs_code", "bad-hs-code"),
        ('{"id": "x", "recipient": {"name": "a", "contry": "KP"}}', "$.recipient.contry", "unknown-field"),
        ('{"id": "x", "goods": [{"category": "luxury_car"}]}', "$.goods[0].category", "unknown-category"),
        ("", "t.json", "empty-input"),
    ],
)
def test_bad_input_exits_2_with_location_and_no_traceback(
    tmp_path: Path, content: str, where: str, code_name: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(content)
    code, out, err = run("check", str(path), "--format", "json")
    assert code == 2
    assert where in err, err
    assert f"error[{code_name}]" in err
    assert "Traceback" not in err
    assert "permitted" not in out


def test_bad_line_in_a_batch_is_located_and_not_permitted(tmp_path: Path) -> None:
    good = (SEEDS / "us-aid-to-ukraine-2024.json").read_text().replace("\n", " ")
    path = tmp_path / "b.jsonl"
    path.write_text(good + "\n" + '{"id": "bad", "destination": "KP", "goods": [{"hs_code": 8703}]}\n')
    code, out, err = run("check", str(path), "--format", "json")
    assert code == 2
    assert "b.jsonl:2" in err and "$.goods[0].hs_code" in err
    records = [json.loads(line) for line in out.splitlines()]
    assert records[0]["verdict"] == "permitted"
    assert records[1]["line"] == 2 and "verdict" not in records[1]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json" in err


def test_lint_reports_duplicate_key_with_location(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    target = rules / "un" / "dprk" / "1718.yaml"
    text = target.read_text().replace("    verdict: prohibited\n", "    verdict: prohibited\n    verdict: review\n", 1)
    target.write_text(text)
    line = text.splitlines().index("    verdict: review") + 1
    code, _, err = run("lint", str(rules))
    assert code == 2
    assert f"1718.yaml:{line}:5: error[duplicate-key]" in err


def test_check_with_broken_rules_exits_2_and_checks_nothing(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "un" / "dprk" / "1718.yaml").write_text("regime: un-dprk\ninstrument: '1718'\nrules: [")
    code, out, err = run("check", str(SEEDS / "us-aid-to-ukraine-2024.json"), "--rules", str(rules))
    assert code == 2 and out == ""
    assert "error[yaml-syntax]" in err and "nothing was checked" in err


def test_lint_builtin_ok() -> None:
    code, out, _ = run("lint")
    assert code == 0 and out.strip().endswith(": ok")


def test_rules_and_explain() -> None:
    code, out, _ = run("rules", "--regime", "un-dprk")
    assert code == 0
    assert "un-dprk.1718.8a-iii" in out and "UNSCR 1718 (2006), OP 8(a)(iii)" in out and "2006-10-14" in out
    code, out, _ = run("explain", "un-dprk.1718.8d")
    assert code == 0
    assert "un-dprk.1718.9a" in out and "designated" in out
    code, _, err = run("explain", "un-dprk.1718.8a-iv")
    assert code == 2 and "did you mean" in err


def test_schema_transfer_is_json_schema() -> None:
    code, out, _ = run("schema", "transfer")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "Transfer"
    assert schema["additionalProperties"] is False
    assert {"sender", "recipient", "goods", "date"} <= set(schema["properties"])


def test_usage_error_exits_2() -> None:
    code, _, err = run("check")
    assert code == 2 and "required" in err


def test_installed_console_script(tmp_path: Path) -> None:
    script = shutil.which("sanctionsrules", path=str(Path(sys.executable).parent))
    assert script is not None, "the sanctionsrules console script is not installed next to this Python"
    result = subprocess.run(
        [script, "check", str(SEEDS / "aurus-senat-gift-2024.json"), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    decision = json.loads(result.stdout)
    assert decision["verdict"] == "prohibited"
    assert "UNSCR 1718 (2006), OP 8(a)(iii)" in {f["basis"] for f in decision["findings"]}


def test_json_lines_on_two_workers_match_one(tmp_path: Path) -> None:
    seeds = [json.loads(p.read_text()) for p in sorted(SEEDS.glob("*[0-9].json"))]
    lines = []
    for i in range(60):
        record = dict(seeds[i % len(seeds)], id=f"t{i}")
        lines.append(json.dumps(record))
    lines.insert(7, '{"id": "broken", "destination": "XX"}')
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    one = run("check", str(path), "--format", "json")
    two = run("check", str(path), "--format", "json", "--workers", "2")
    assert one == two
    assert one[0] == 2 and "many.jsonl:8" in one[2] and "$.destination" in one[2]
    assert len(one[1].splitlines()) == 61


@pytest.mark.parametrize("what", ["transfer", "ruleset"])
def test_published_json_schemas_do_not_drift(what: str) -> None:
    # The schemas under schemas/ are published for other tools; regenerate them with
    # `sanctionsrules schema transfer > schemas/transfer.schema.json` when the model changes.
    code, out, _ = run("schema", what)
    assert code == 0
    assert json.loads(out) == json.loads((ROOT / "schemas" / f"{what}.schema.json").read_text())


def test_json_lines_in_text_format_locate_check_time_errors(tmp_path: Path) -> None:
    good = (SEEDS / "us-aid-to-ukraine-2024.json").read_text().replace("\n", " ")
    path = tmp_path / "t.jsonl"
    path.write_text(good + "\n" + '{"id": "bad", "goods": [{"category": "luxury_car"}]}\n')
    code, out, err = run("check", str(path))
    assert code == 2
    assert "t.jsonl:2: error[unknown-category] $.goods[0].category" in err
    assert out.startswith("us-aid-to-ukraine-2024: PERMITTED")

"""Rule files that are wrong fail to load, with file:line:column, a JSON path, a stable code and a caret."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from sanctionsrules import RuleSetError, load_rules
from sanctionsrules.errors import Problem
from sanctionsrules.ruleset import builtin_rules_path, lint_rules

REGIME = """\
regime: test
title: Test regime
authority: Test
version: "1"
define:
  to_kp:
    any:
      - destination: KP
      - receiving_party.country: KP
"""

GOOD_RULE = """\
regime: test
instrument: r1
title: Resolution 1
adopted: 2006-10-14
rules:
  - id: test.r1.1
    title: Luxury goods to KP
    basis: Resolution 1, OP 1
    in_force: {from: 2006-10-14}
    verdict: prohibited
    when:
      all:
        - use: to_kp
        - item.category: luxury_goods
"""


def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    (root / "taxonomy").mkdir(parents=True)
    shutil.copy(builtin_rules_path() / "taxonomy" / "goods.yaml", root / "taxonomy" / "goods.yaml")
    regime = root / "test"
    regime.mkdir()
    (regime / "regime.yaml").write_text(REGIME)
    for name, text in files.items():
        (regime / name).write_text(textwrap.dedent(text))
    return root


def only_problem(root: Path) -> Problem:
    problems = lint_rules(root)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def test_a_good_tree_loads(tmp_path: Path) -> None:
    ruleset = load_rules(make_tree(tmp_path, {"r1.yaml": GOOD_RULE}))
    assert [r.id for r in ruleset.rules] == ["test.r1.1"]
    assert ruleset.digest.startswith("sha256:")


def test_digest_does_not_depend_on_location(tmp_path: Path) -> None:
    one = load_rules(make_tree(tmp_path / "a", {"r1.yaml": GOOD_RULE}))
    two = load_rules(make_tree(tmp_path / "b", {"r1.yaml": GOOD_RULE}))
    changed = load_rules(make_tree(tmp_path / "c", {"r1.yaml": GOOD_RULE.replace("OP 1", "OP 2")}))
    assert one.digest == two.digest != changed.digest


def test_duplicate_key_is_located(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("    verdict: prohibited\n", "    verdict: prohibited\n    verdict: review\n")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "duplicate-key"
    assert (problem.file or "").endswith("test/r1.yaml")
    assert (problem.line, problem.column) == (11, 5)
    assert problem.path == "$.rules[0].verdict"
    assert problem.format().splitlines()[1:] == ["   11 |     verdict: review", "      |     ^"]


def test_duplicate_rule_id_across_files(tmp_path: Path) -> None:
    other = GOOD_RULE.replace("instrument: r1", "instrument: r2").replace("test.r1.1", "test.r2.1")
    other = other.replace("  - id: test.r2.1", "  - id: test.r1.1")
    problems = lint_rules(make_tree(tmp_path, {"r1.yaml": GOOD_RULE, "r2.yaml": other}))
    codes = sorted(p.code for p in problems)
    assert codes == ["duplicate-rule-id", "rule-id-mismatch"]
    duplicate = next(p for p in problems if p.code == "duplicate-rule-id")
    assert "first at" in duplicate.message and "r1.yaml:6" in duplicate.message


def test_unknown_fact_suggests_the_right_one(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("item.category: luxury_goods", "item.catgory: luxury_goods")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "unknown-fact"
    assert "did you mean 'item.category'?" in problem.message
    assert problem.path == "$.rules[0].when.all[1]['item.catgory']"
    assert (problem.line, problem.column) == (14, 11)


def test_unknown_category(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("item.category: luxury_goods", "item.category: luxury_good")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "unknown-category"
    assert "did you mean 'luxury_goods'?" in problem.message


def test_bad_date(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("in_force: {from: 2006-10-14}", "in_force: {from: 2006-13-14}")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "bad-date"
    assert problem.path == "$.rules[0].in_force.from"
    assert problem.line == 9


def test_dates_in_wrong_order(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("in_force: {from: 2006-10-14}", "in_force: {from: 2006-10-14, to: 2006-01-01}")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.path == "$.rules[0].in_force"
    assert "before" in problem.message


def test_malformed_hs_code(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("item.category: luxury_goods", 'item.hs_code: ["87", "87x3"]')
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "bad-hs-code"
    assert problem.path.endswith("[1]")


def test_unquoted_hs_code_keeps_leading_zero_or_fails(tmp_path: Path) -> None:
    # 0301 unquoted stays the text "0301" (not octal or 301); 301 unquoted is an integer and is refused.
    fine = load_rules(
        make_tree(
            tmp_path / "a",
            {"r1.yaml": GOOD_RULE.replace("item.category: luxury_goods", "item.hs_code: 0301")},
        )
    )
    assert fine.rules[0].condition.children[1].operand == ("0301",)  # type: ignore[union-attr]
    problem = only_problem(
        make_tree(tmp_path / "b", {"r1.yaml": GOOD_RULE.replace("item.category: luxury_goods", "item.hs_code: 301")})
    )
    assert problem.code == "bad-hs-code"


def test_norway_is_a_country_not_false(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("        - use: to_kp\n", "        - destination: [NO, KP]\n")
    ruleset = load_rules(make_tree(tmp_path, {"r1.yaml": text}))
    assert ruleset.rules[0].condition.children[0].operand == frozenset({"NO", "KP"})  # type: ignore[union-attr]


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("    basis: Resolution 1, OP 1\n", "    basis: Resolution 1, OP 1\n    bases: x\n")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "unknown-key"
    assert problem.path == "$.rules[0].bases"
    assert (problem.line, problem.column) == (9, 5)
    assert "did you mean 'basis'?" in problem.message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("in_force: {from: 2006-10-14}", "in_force: {from: 2006-10-14")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "yaml-syntax"
    assert problem.line >= 9


def test_aliases_are_refused(tmp_path: Path) -> None:
    text = (
        GOOD_RULE.replace("      all:\n", "      all: &a\n") + "  - id: test.r1.2\n    title: t\n    basis: b\n"
        "    in_force: {from: 2006-10-14}\n    verdict: review\n    when:\n      all: *a\n"
    )
    codes = [p.code for p in lint_rules(make_tree(tmp_path, {"r1.yaml": text}))]
    assert "yaml-alias" in codes


def test_instrument_must_match_file_name(tmp_path: Path) -> None:
    problem = only_problem(make_tree(tmp_path, {"other.yaml": GOOD_RULE}))
    assert problem.code == "instrument-mismatch"


def test_unknown_named_condition_and_cycle(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("use: to_kp", "use: to_kpp")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "unknown-condition"
    assert "did you mean 'to_kp'?" in problem.message
    cyclic = GOOD_RULE.replace(
        "rules:\n", "define:\n  a: {use: b}\n  b: {any: [{use: a}, {destination: KP}]}\nrules:\n"
    )
    codes = [p.code for p in lint_rules(make_tree(tmp_path / "cycle", {"r1.yaml": cyclic}))]
    assert "condition-cycle" in codes


def test_advisory_rules_give_at_most_review(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("    verdict: prohibited\n", "    verdict: prohibited\n    binding: false\n")
    assert only_problem(make_tree(tmp_path, {"r1.yaml": text})).code == "advisory-too-severe"


def test_exemption_that_covers_nothing(tmp_path: Path) -> None:
    text = GOOD_RULE + textwrap.dedent("""\
        exemptions:
          - id: test.r1.2
            title: Exemption
            basis: Resolution 1, OP 2
            covers: [test.r9.*]
            when: {claim: {kind: humanitarian}}
            effect: permitted
        """)
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "covers-nothing"
    assert problem.path == "$.exemptions[0].covers[0]"


def test_a_condition_mapping_with_two_keys_is_refused(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("        - use: to_kp\n", "        - {destination: KP, origin: CN}\n")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "bad-condition"
    assert "wrap them in all: or any:" in problem.message


def test_operator_typo(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("item.category: luxury_goods", "item.value: {gtt: USD 100}")
    problem = only_problem(make_tree(tmp_path, {"r1.yaml": text}))
    assert problem.code == "unknown-operator"
    assert "did you mean 'gt'?" in problem.message


def test_load_raises_the_first_problem_and_carries_all(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("luxury_goods", "nonsense").replace("use: to_kp", "destination: XX")
    with pytest.raises(RuleSetError) as caught:
        load_rules(make_tree(tmp_path, {"r1.yaml": text}))
    assert len(caught.value.problems) == 2
    assert isinstance(caught.value, ValueError)
    first = caught.value.problems[0]
    assert (first.code, first.line, first.column) == ("unknown-country", 13, 24)
    assert str(caught.value) == first.format()


def test_the_builtin_rules_lint_clean() -> None:
    assert lint_rules() == []


def test_every_builtin_rule_cites_its_basis_and_dates() -> None:
    ruleset = load_rules()
    for rule in ruleset.rules:
        assert rule.basis.startswith("UNSCR"), rule.id
        assert rule.id.startswith(f"{rule.regime}.{rule.instrument}."), rule.id
        assert rule.verification, f"{rule.id} says nothing about how it was verified"

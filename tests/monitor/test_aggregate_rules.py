"""The aggregate rule language: located errors for bad entries, and the periods and groups it offers."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from sanctionsrules import compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations
from sanctionsrules.errors import Problem, RuleSetError
from sanctionsrules.monitor import Monitor, compile_aggregates, lint_aggregates
from sanctionsrules.verdict import Verdict

from .support import CAP, transfer, tree


def problems(tmp_path: Path, aggregates: str) -> list[Problem]:
    found = lint_aggregates(load_rules(tree(tmp_path, aggregates)))
    assert found, "expected problems"
    return found


def test_a_pattern_that_prohibits_is_refused_with_its_location(tmp_path: Path) -> None:
    entry = textwrap.dedent("""\
      - id: un-dprk.9999.1-split
        title: Split
        basis: test
        in_force: {from: 2019-01-01}
        kind: split_shipment
        match: {use: to_dprk}
        threshold: USD 10000
        min_transfers: 3
        window: {days: 7}
        verdict: prohibited
    """)
    (problem,) = problems(tmp_path, textwrap.indent(entry, "  "))
    assert (problem.code, problem.path, problem.line, problem.column) == (
        "pattern-too-severe", "$.aggregates[0].verdict", 15, 14)
    assert problem.file is not None and problem.file.endswith("9999.yaml")
    assert "at most review" in problem.message
    assert problem.format().splitlines()[1].strip().endswith("verdict: prohibited")
    with pytest.raises(RuleSetError, match="pattern-too-severe"):
        compile_aggregates(load_rules(tree(tmp_path / "again", textwrap.indent(entry, "  "))))


@pytest.mark.parametrize(("change", "code", "path", "message"), [
    (("item.category: refined_petroleum", "item.categry: refined_petroleum"), "unknown-fact",
     "$.aggregates[0].match.all[1]['item.categry']", "did you mean 'item.category'"),
    (("item.category: refined_petroleum", "item.category: refined_petrol"), "unknown-category",
     "$.aggregates[0].match.all[1]['item.category']", "did you mean 'refined_petroleum'"),
    (("use: to_dprk", "use: to_dprkk"), "unknown-condition", "$.aggregates[0].match.all[0].use",
     "did you mean 'to_dprk'"),
    (("    unit: bbl\n", ""), "invalid", "$.aggregates[0]", "sum: quantity needs a unit"),
    (("period: calendar_year", "period: weekly"), "bad-value", "$.aggregates[0].period", "calendar_year"),
    (("limit: 1000", "limit: -5"), "invalid", "$.aggregates[0].limit", "greater than 0"),
    (("limit: 1000", "limit: 1000\n    factors: {l: 6.29}"), "invalid", "$.aggregates[0]", "no factor is needed"),
    (("limit: 1000", "limit: 1000\n    notices: [0.9, 0.75]"), "invalid", "$.aggregates[0]", "increasing order"),
    (("kind: cap", "kind: capp"), "bad-value", "$.aggregates[0].kind", "takes cap, split_shipment"),
    (("verdict: prohibited", "verdict: prohibited\n    limt: 3"), "unknown-key", "$.aggregates[0].limt",
     "did you mean 'limit'"),
    (("un-dprk.9999.1-cap", "un-dprk.2397.1-cap"), "rule-id-mismatch", "$.aggregates[0].id",
     "must start with 'un-dprk.9999.'"),
    (("in_force: {from: 2019-01-01}", "in_force: {from: 2019-02-30}"), "bad-date", "$.aggregates[0].in_force.from",
     "date"),
])
def test_bad_cap_entries_are_located(tmp_path: Path, change: tuple[str, str], code: str, path: str,
                                     message: str) -> None:
    found = problems(tmp_path, CAP.replace(*change))
    assert [(p.code, p.path) for p in found][:1] == [(code, path)]
    assert message in found[0].message
    assert found[0].line > 5  # inside the aggregates section of the file


def test_duplicate_aggregate_ids_are_refused(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, CAP + CAP)
    assert (problem.code, problem.path) == ("duplicate-rule-id", "$.aggregates[1].id")


def test_the_monitor_refuses_rules_with_bad_aggregates(tmp_path: Path) -> None:
    rules = compile_rules(load_rules(tree(tmp_path, CAP.replace("kind: cap", "kind: capp"))))
    with pytest.raises(RuleSetError):
        Monitor(rules)


def test_a_rolling_window_lets_old_deliveries_go(tmp_path: Path) -> None:
    rolling = CAP.replace("period: calendar_year", "period: {days: 30}").replace(
        "verdict: prohibited", "notices: [0.5]\n    stop_at: 0.9\n    verdict: prohibited")
    yearly = CAP.replace("un-dprk.9999.1-cap", "un-dprk.9999.2-cap").replace(
        "period: calendar_year", "period: rolling_12_months").replace("limit: 1000", "limit: 5000")
    rules = compile_rules(load_rules(tree(tmp_path, rolling + yearly)), ReferenceDesignations())
    with Monitor(rules) as monitor:
        def total(number: int, day: str, amount: int) -> dict[str, object]:
            findings = monitor.observe(transfer(number, day, amount=amount)).findings
            return {f.rule: (f.total, f.verdict, f.period) for f in findings}

        assert total(1, "2019-01-01", 600)["un-dprk.9999.1-cap"][:2] == (600, Verdict.PERMITTED)
        assert total(2, "2019-01-30", 300)["un-dprk.9999.1-cap"][:2] == (900, Verdict.PERMITTED)  # 90 %
        assert total(3, "2019-01-30", 1)["un-dprk.9999.1-cap"][:2] == (901, Verdict.PROHIBITED)  # stopped
        thirty_days = total(4, "2019-01-31", 100)  # the first delivery has left the 30 days
        assert thirty_days["un-dprk.9999.1-cap"] == (401, Verdict.PERMITTED, "in the 30 days to 2019-01-31")
        assert thirty_days["un-dprk.9999.2-cap"][0] == 1001
        a_year = total(5, "2020-02-01", 5)  # 12 months on, the January 2019 deliveries have gone too
        assert a_year["un-dprk.9999.2-cap"] == (5, Verdict.PERMITTED, "in the 12 months to 2020-02-01")
        assert {t.rule: t.total for t in monitor.totals()} == {"un-dprk.9999.1-cap": 5, "un-dprk.9999.2-cap": 5}
        assert monitor.totals()[0].period == "in the 30 days to 2020-02-01"


def test_caps_can_be_kept_per_supplying_state_or_recipient(tmp_path: Path) -> None:
    grouped = CAP.replace("    period:", "    group_by: [supplying_state, recipient]\n    period:")
    rules = compile_rules(load_rules(tree(tmp_path, grouped)), ReferenceDesignations())
    day = dt.date(2019, 4, 1)
    with Monitor(rules) as monitor:
        monitor.observe(transfer(1, day, amount=100, sender_country="CN"))
        monitor.observe(transfer(2, day, amount=200, sender_country="RU"))
        monitor.observe(transfer(3, day, amount=300, sender_country="RU", recipient="Nampo Depot"))
        last = monitor.observe(transfer(4, day, amount=1, sender_country="RU"))
        assert last.findings[0].message.startswith("Test cap (from RU, to Wonsan Fisheries Depot) in 2019: 201 of")
        assert sorted((t.group, t.total) for t in monitor.totals()) == [
            (" (from CN, to Wonsan Fisheries Depot)", 100), (" (from RU, to Nampo Depot)", 300),
            (" (from RU, to Wonsan Fisheries Depot)", 201)]
        # Without the sender's country the group is unknown: reviewed, not counted.
        unknown = monitor.observe(transfer(5, day, amount=1, sender_country="CN").model_copy(
            update={"sender": None}))
        assert [f.verdict for f in unknown.findings] == [Verdict.REVIEW]


def test_a_value_cap_does_not_guess_exchange_rates(tmp_path: Path) -> None:
    by_value = CAP.replace("sum: quantity\n    unit: bbl", "sum: value\n    currency: USD")
    rules = compile_rules(load_rules(tree(tmp_path, by_value)), ReferenceDesignations())
    item = {"category": "refined_petroleum", "hs_code": "271019", "quantity": {"amount": 1, "unit": "bbl"}}
    with Monitor(rules) as monitor:
        eur, usd = {"amount": 10, "currency": "EUR"}, {"amount": 10, "currency": "USD"}
        euros = monitor.observe(transfer(1, "2019-04-01", goods=[{**item, "value": eur}]))
        assert euros.findings[0].verdict == Verdict.REVIEW and "no exchange rate" in euros.findings[0].message
        dollars = monitor.observe(transfer(2, "2019-04-01", goods=[{**item, "value": usd}]))
        assert dollars.findings[0].total == 10 and dollars.findings[0].unit == "USD"

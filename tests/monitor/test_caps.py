"""Acceptance: the UNSCR 2397 OP 5 refined-petroleum cap, and the other caps' arithmetic, periods and gaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanctionsrules import CompiledRuleSet
from sanctionsrules.monitor import Cap, Monitor, MonitorResult
from sanctionsrules.monitor.measure import amount_text
from sanctionsrules.verdict import Verdict

from .support import REFINED_CAP, transfer

BASIS = "UNSCR 2397 (2017), OP 5"
# Shares of the yearly limit: eight per cent ten times (80 %, the 75 % notice on the tenth), then 10 % (90 %
# reached exactly), 6 % (96 %: the 95 % notice, still within the limit), 2 % (98 %: after the stop) and 6 %
# (104 %: past the limit). 520,000 barrels in all against 500,000.
SHARES = [Decimal("0.08")] * 10 + [Decimal("0.10"), Decimal("0.06"), Decimal("0.02"), Decimal("0.06")]


def refined_cap(monitor: Monitor) -> Cap:
    cap = next(a for a in monitor.aggregates if a.id == REFINED_CAP)
    assert isinstance(cap, Cap)
    return cap


def cap_findings(results: list[MonitorResult]) -> list[tuple[Verdict, tuple[Decimal, ...], Decimal | None]]:
    out = []
    for result in results:
        (finding,) = result.aggregate(REFINED_CAP)
        out.append((finding.verdict, finding.notices, finding.total))
    return out


def deliver(monitor: Monitor, days: list[dt.date]) -> list[MonitorResult]:
    cap = refined_cap(monitor)
    return [monitor.observe(transfer(i, day, amount=cap.limit * share))
            for i, (day, share) in enumerate(zip(days, SHARES, strict=True), start=1)]


def test_a_year_of_deliveries_gives_the_notices_then_stops_supply(monitor: Monitor) -> None:
    cap = refined_cap(monitor)
    assert (cap.limit, cap.unit, cap.notices, cap.stop_at) == (
        500_000, "bbl", (Decimal("0.75"), Decimal("0.90"), Decimal("0.95")), Decimal("0.95"))
    days = [dt.date(2019, 1, 7) + dt.timedelta(days=20 * i) for i in range(len(SHARES))]
    results = deliver(monitor, days)
    assert sum(r.aggregate(REFINED_CAP)[0].total is not None for r in results) == 14
    assert results[-1].aggregate(REFINED_CAP)[0].total == 520_000

    seen = cap_findings(results)
    notices = {i + 1: n for i, (_v, n, _t) in enumerate(seen) if n}
    assert notices == {10: (Decimal("0.75"),), 11: (Decimal("0.90"),), 12: (Decimal("0.95"),)}
    prohibited = [i + 1 for i, (v, _n, _t) in enumerate(seen) if v == Verdict.PROHIBITED]
    assert prohibited == [13, 14]  # after the 95 % mark (13, 14) and past the limit (14)
    assert all(v == Verdict.PERMITTED for v, _n, _t in seen[:12])

    tenth, thirteenth, last = (results[i].aggregate(REFINED_CAP)[0] for i in (9, 12, 13))
    assert "400,000 of 500,000 bbl, 80%: 75% notice" in tenth.message
    assert tenth.period == "in 2019" and tenth.basis == BASIS
    assert thirteenth.basis == BASIS and thirteenth.rule == REFINED_CAP
    assert "490,000 of 500,000 bbl, 98%: supply stopped at 95%" in thirteenth.message
    assert any("reached 95% of the limit (475,000 bbl) before this delivery" in b for b in thirteenth.because)
    assert "520,000 of 500,000 bbl, 104%" in last.message and "over the limit" in last.message
    assert any("past the limit of 500,000 bbl" in b for b in last.because)
    # The transfer's verdict is at least the cap's; the single-transfer decision is kept beside it.
    assert results[12].verdict == Verdict.PROHIBITED and results[12].decision.transfer == "T13"

    (total,) = monitor.totals()
    assert (total.rule, total.period, total.total, total.status) == (REFINED_CAP, "in 2019", 520_000, "over the limit")


def test_the_same_deliveries_across_two_years_stay_within_each_years_cap(monitor: Monitor) -> None:
    # Seven deliveries in the second half of 2019 (56 %), seven in the first half of 2020 (48 %).
    days = [dt.date(2019, 6, 1) + dt.timedelta(days=25 * i) for i in range(7)]
    days += [dt.date(2020, 1, 15) + dt.timedelta(days=20 * i) for i in range(7)]
    results = deliver(monitor, days)
    verdicts = {v for v, _n, _t in cap_findings(results)}
    assert verdicts == {Verdict.PERMITTED}
    by_year = {t.period: t.total for t in monitor.totals()}
    assert by_year == {"in 2019": Decimal("0.56") * 500_000, "in 2020": Decimal("0.48") * 500_000}
    assert all(not n for _v, n, _t in cap_findings(results))  # neither year reaches 75 %


def test_tonnes_are_converted_at_the_declared_factor_and_the_finding_says_so(monitor: Monitor) -> None:
    cap = refined_cap(monitor)
    factors = dict(cap.factors)
    if "t" not in factors:
        pytest.skip(f"{REFINED_CAP} declares no factor for tonnes")
    factor = factors["t"]
    first = monitor.observe(transfer(1, "2019-03-01", amount=1000, unit="t")).aggregate(REFINED_CAP)[0]
    expected = Decimal(1000) * factor
    assert first.total == expected
    assert f"1,000 t converted at {factor.normalize():f} bbl/t = {amount_text(expected)} bbl" in first.because
    # Kilograms go through tonnes, and say both steps; barrels add up with them.
    second = monitor.observe(transfer(2, "2019-03-02", amount=500_000, unit="kg")).aggregate(REFINED_CAP)[0]
    assert f"500,000 kg = 500 t, converted at {factor.normalize():f} bbl/t" in " ".join(second.because)
    third = monitor.observe(transfer(3, "2019-03-03", amount=100)).aggregate(REFINED_CAP)[0]
    assert third.total == Decimal(1500) * factor + 100


def test_a_delivery_that_cannot_be_measured_or_placed_is_reviewed_and_not_counted(monitor: Monitor) -> None:
    pieces = monitor.observe(transfer(1, "2019-03-01", amount=3, unit="piece")).aggregate(REFINED_CAP)[0]
    assert pieces.verdict == Verdict.REVIEW and pieces.total is None
    assert "does not convert to bbl" in pieces.message
    monitor.observe(transfer(2, "2019-03-02", amount=100))
    assert [t.total for t in monitor.totals()] == [100]


def test_an_item_known_only_by_a_broad_code_may_count_and_is_reviewed_not_counted(
        fixture_rules: CompiledRuleSet) -> None:
    # HS 27 covers refined petroleum and much else: without a category the item may or may not count.
    with Monitor(fixture_rules) as monitor:
        result = monitor.observe(transfer(1, "2019-03-01", amount=5000, category=None, hs_code="27"))
        (finding,) = result.aggregate(REFINED_CAP)
        assert finding.verdict == Verdict.REVIEW and finding.missing
        assert finding.message.startswith("may count toward refined petroleum to KP; not counted")
        assert monitor.totals() == ()


def test_deliveries_elsewhere_or_before_the_cap_are_not_counted(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        assert monitor.observe(transfer(1, "2019-03-01", recipient_country="RU")).aggregate(REFINED_CAP) == ()
        assert monitor.observe(transfer(2, "2019-03-02", category="crude_oil", hs_code="2709")).aggregate(
            REFINED_CAP) == ()
        assert monitor.totals()[0].rule == "un-dprk.2397.4-cap"


def test_the_2375_period_counts_until_2397_takes_over(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        early = monitor.observe(transfer(1, "2017-12-21", amount=400_000))
        (finding,) = early.findings
        assert (finding.rule, finding.notices) == ("un-dprk.2375.14-cap", (Decimal("0.75"),))
        assert finding.period == "from 2017-10-01 to 2017-12-21"
        # 2375 OP 14 sets no stop at 95 %: only the limit itself prohibits.
        over = monitor.observe(transfer(2, "2017-12-21", amount=120_000)).findings[0]
        assert over.verdict == Verdict.PROHIBITED and "over the limit" in over.message
        # Between 2375's supersession and 2397's first year no cap counts (the single-transfer rules judge it).
        assert monitor.observe(transfer(3, "2017-12-27", amount=10)).findings == ()
        assert monitor.observe(transfer(4, "2018-01-01", amount=10)).findings[0].rule == REFINED_CAP


def test_crude_oil_counts_in_fixed_twelve_month_periods_from_adoption(fixture_rules: CompiledRuleSet) -> None:
    crude = {"category": "crude_oil", "hs_code": "2709"}
    with Monitor(fixture_rules) as monitor:
        first = monitor.observe(transfer(1, "2018-12-21", amount=3_900_000, **crude)).findings[0]
        assert first.period == "in the period 2017-12-22 to 2018-12-21"
        second = monitor.observe(transfer(2, "2018-12-22", amount=3_900_000, **crude)).findings[0]
        assert second.period == "in the period 2018-12-22 to 2019-12-21"
        assert (first.verdict, second.verdict) == (Verdict.PERMITTED, Verdict.PERMITTED)
        third = monitor.observe(transfer(3, "2019-01-05", amount=20_000, unit="t", **crude)).findings[0]
        assert third.verdict == Verdict.PROHIBITED  # 3,900,000 + 152,380 bbl > 4,000,000
        assert "20,000 t converted at 7.619 bbl/t = 152,380 bbl" in third.because
        # A shipment the Committee approved in advance is outside the allowance.
        approved = transfer(4, "2019-01-06", amount=50_000, exemption_claims=[
            {"kind": "committee_approval", "authority": "1718-committee", "reference": "S/AC.49/2019/1"}], **crude)
        assert monitor.observe(approved).findings == ()


def test_coal_is_capped_by_value_and_by_weight_whichever_comes_first(fixture_rules: CompiledRuleSet) -> None:
    def coal(number: int, day: str, usd: int, tonnes: int) -> object:
        return transfer(number, day, amount=tonnes, unit="t", category="coal", hs_code="2701", sender="Pyongyang Coal",
                        sender_country="KP", recipient="Rizhao Energy", recipient_country="CN",
                        goods=[{"category": "coal", "hs_code": "270112", "origin": "KP",
                                "quantity": {"amount": tonnes, "unit": "t"},
                                "value": {"amount": usd, "currency": "USD"}}])

    with Monitor(fixture_rules) as monitor:
        # Expensive coal: the value cap (USD 400,870,018 a year) is reached long before 7.5 million tonnes.
        first = monitor.observe(coal(1, "2017-03-01", 390_000_000, 3_000_000))  # type: ignore[arg-type]
        by_rule = {f.rule: f for f in first.findings}
        assert set(by_rule) == {"un-dprk.2321.26-cap-usd", "un-dprk.2321.26-cap-t"}
        assert by_rule["un-dprk.2321.26-cap-usd"].notices == (Decimal("0.75"), Decimal("0.90"), Decimal("0.95"))
        second = monitor.observe(coal(2, "2017-04-01", 1_000_000, 10_000))  # type: ignore[arg-type]
        by_rule = {f.rule: f for f in second.findings}
        assert by_rule["un-dprk.2321.26-cap-usd"].verdict == Verdict.PROHIBITED
        assert by_rule["un-dprk.2321.26-cap-t"].verdict == Verdict.PERMITTED
        assert second.verdict == Verdict.PROHIBITED
        # From 2017-08-05 the caps are gone (UNSCR 2371 OP 8 bans coal outright: a single-transfer rule).
        assert monitor.observe(coal(3, "2017-08-05", 10, 1)).findings == ()  # type: ignore[arg-type]
        # Coal of another origin is not DPRK coal; coal of unknown origin may be, and is reviewed.
        assert {f.verdict for f in monitor.observe(transfer(
            4, "2017-08-06", category="coal", hs_code="2701", sender_country="KP", recipient_country="CN")).findings
                } <= {Verdict.REVIEW}


def test_running_totals_read_like_the_committee_notices(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        for number, amount in enumerate([200_000, 230_000], start=1):
            monitor.observe(transfer(number, f"2019-0{number}-10", amount=amount))
        (total,) = monitor.totals()
        assert total.text() == "refined petroleum to KP in 2019: 430,000 of 500,000 bbl, 86%: 75% notice"
        assert total.to_dict()["percent"] == "86%"

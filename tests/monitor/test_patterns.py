"""Acceptance: split shipments and ship-to-ship chains are flagged for review, naming every transfer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sanctionsrules import CompiledRuleSet, Transfer
from sanctionsrules.model.codes import Quantity
from sanctionsrules.monitor import Monitor, SplitShipment
from sanctionsrules.verdict import Verdict

from .support import transfer


def split_pattern(monitor: Monitor) -> SplitShipment:
    found = [a for a in monitor.aggregates if isinstance(a, SplitShipment)]
    if not found:
        pytest.skip("the rules have no split_shipment pattern")
    pattern = found[0]
    if not isinstance(pattern.threshold, Quantity) or pattern.threshold.unit != "bbl":
        pytest.skip("the split-shipment pattern's threshold is not in barrels")
    return pattern


def just_under(pattern: SplitShipment, number: int, day: dt.date, **extra: Any) -> Transfer:
    return transfer(number, day, amount=pattern.threshold.amount - 1, **extra)


def split_findings(monitor: Monitor, transfers: list[Transfer]) -> list[tuple[str, tuple[str, ...], Verdict]]:
    out = []
    for t in transfers:
        for finding in monitor.observe(t).findings:
            if finding.kind == "split_shipment":
                out.append((t.id, finding.transfers, finding.verdict))
    return out


def test_four_deliveries_just_under_the_threshold_in_a_week_are_a_possible_split(monitor: Monitor) -> None:
    pattern = split_pattern(monitor)
    start = dt.date(2019, 5, 6)
    window = pattern.window_days
    days = [start + dt.timedelta(days=round(k * (window - 1) / (pattern.min_transfers - 1)))
            for k in range(pattern.min_transfers)]
    deliveries = [just_under(pattern, k, day) for k, day in enumerate(days, start=1)]
    found = split_findings(monitor, deliveries)
    names = tuple(t.id for t in deliveries)
    assert found == [(names[-1], names, Verdict.REVIEW)]  # flagged on the last, naming every one
    last = monitor.observe(just_under(pattern, 99, days[-1]))
    (finding,) = [f for f in last.findings if f.kind == "split_shipment"]
    assert finding.transfers == (*names, "T99") and finding.verdict == Verdict.REVIEW
    assert finding.rule == pattern.id and finding.basis == pattern.basis
    assert "possible split shipment" in finding.message and "HS 2710" in finding.message
    assert len(finding.because) >= pattern.min_transfers + 1  # every shipment listed with its date and amount


def test_one_such_delivery_alone_is_not_flagged(monitor: Monitor) -> None:
    pattern = split_pattern(monitor)
    assert split_findings(monitor, [just_under(pattern, 1, dt.date(2019, 5, 6))]) == []


def test_fewer_deliveries_or_deliveries_outside_the_window_are_not_flagged(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        pattern = split_pattern(monitor)
        start = dt.date(2019, 5, 6)
        n = pattern.min_transfers
        # one fewer than needed in the window, then the window has moved on for the first
        first = [just_under(pattern, k, start + dt.timedelta(days=k)) for k in range(n - 1)]
        late = just_under(pattern, 50, start + dt.timedelta(days=pattern.window_days))
        assert split_findings(monitor, [*first, late]) == []


def test_different_parties_goods_or_sizes_do_not_make_a_split(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        pattern = split_pattern(monitor)
        day = dt.date(2019, 5, 6)
        mixed = [
            just_under(pattern, 1, day),
            just_under(pattern, 2, day, recipient="Chongjin Port Authority"),  # another recipient
            just_under(pattern, 3, day, sender="Nakhodka Bunkering"),  # another sender
            just_under(pattern, 4, day, hs_code="271210"),  # another heading
            transfer(5, day, amount=pattern.threshold.amount),  # at the threshold: reported on its own
            transfer(6, day, amount=pattern.threshold.amount - 1, recipient_country="RU"),  # not to the DPRK
        ]
        assert split_findings(monitor, mixed) == []


def sts(number: int, day: str, *, sender_flag: str = "KP", receiver: dict[str, Any] | None = None) -> Transfer:
    return Transfer.model_validate({
        "id": f"S{number}", "date": day, "kind": "ship_to_ship",
        "sender": {"name": "Rye Song Gang 1", "kind": "vessel", "flag": sender_flag, "country": sender_flag},
        "recipient": receiver or {"name": "Sea Pearl", "kind": "vessel", "flag": "PA", "country": "PA",
                                  "identifiers": [{"scheme": "imo", "value": "9000001"}]},
        "goods": [{"category": "coal", "hs_code": "2701", "quantity": {"amount": 5000, "unit": "t"}}],
    })


def onward(number: int, day: str, *, carrier: dict[str, Any] | None = None) -> Transfer:
    return Transfer.model_validate({
        "id": f"O{number}", "date": day, "kind": "sale",
        "sender": {"name": "Sea Pearl Shipping", "kind": "organisation", "country": "PA"},
        "carrier": carrier or {"name": "SEA PEARL", "kind": "vessel", "flag": "PA",
                               "identifiers": [{"scheme": "imo", "value": "9000001"}]},
        "recipient": {"name": "Port of Lianyungang Trading", "kind": "organisation", "country": "CN"},
        "destination": "CN",
        "goods": [{"category": "coal", "hs_code": "2701", "quantity": {"amount": 5000, "unit": "t"}}],
    })


def chain_findings(monitor: Monitor, transfers: list[Transfer]) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.id, f.transfers) for t in transfers for f in monitor.observe(t).findings
            if f.kind == "ship_to_ship"]


def test_goods_from_a_dprk_vessel_carried_onward_are_flagged_as_a_chain(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        # The receiving vessel is known by its IMO number, however its name is written on the onward voyage.
        found = chain_findings(monitor, [sts(1, "2019-02-01"), onward(1, "2019-02-20")])
        assert found == [("O1", ("S1", "O1"))]


def test_the_chain_needs_a_dprk_vessel_and_the_window(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        assert chain_findings(monitor, [sts(1, "2019-02-01", sender_flag="CN"), onward(1, "2019-02-02")]) == []
        assert chain_findings(monitor, [sts(2, "2019-03-01"), onward(2, "2019-04-15")]) == []  # 45 days later
        other = {"name": "Another Ship", "kind": "vessel", "flag": "PA"}
        assert chain_findings(monitor, [sts(3, "2019-05-01"), onward(3, "2019-05-02", carrier=other)]) == []


def test_a_designated_vessel_starts_a_chain_too(fixture_rules: CompiledRuleSet) -> None:
    designated = Transfer.model_validate({
        **sts(1, "2019-02-01", sender_flag="SL").model_dump(mode="json"),
        "sender": {"name": "Wan Heng 11", "kind": "vessel", "flag": "SL",
                   "identifiers": [{"scheme": "un_ref", "value": "KPe.070"}]},
    })
    with Monitor(fixture_rules) as monitor:
        assert chain_findings(monitor, [designated, onward(1, "2019-02-03")]) == [("O1", ("S1", "O1"))]


def test_patterns_never_prohibit_on_their_own(fixture_rules: CompiledRuleSet) -> None:
    with Monitor(fixture_rules) as monitor:
        assert {a.verdict for a in monitor.aggregates if a.kind != "cap"} == {Verdict.REVIEW}

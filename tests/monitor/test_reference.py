"""Property: over random streams, the monitor's totals and split-shipment findings equal a brute-force count.

The monitor keeps its totals as facts in durable-rules, expires rolling windows with a clock fact and finds
earlier shipments with a join; the reference below just adds up every earlier delivery in Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionsrules import CompiledRuleSet, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations
from sanctionsrules.model.codes import convert_quantity
from sanctionsrules.monitor import Monitor
from sanctionsrules.monitor.measure import COUNTED_PLACES

from .support import CAP, transfer, tree

YEARLY, ROLLING, SPLIT = "un-dprk.9999.1-cap", "un-dprk.9999.2-cap", "un-dprk.9999.3-split"
WINDOW, SPLIT_DAYS, THRESHOLD, MIN_TRANSFERS = 20, 5, Decimal(100), 3
FACTOR = Decimal("7.33")
ENTRIES = (
    CAP.replace("limit: 1000", "limit: 1000000\n    factors: {t: 7.33}")
    + CAP.replace(YEARLY, ROLLING).replace("period: calendar_year", f"period: {{days: {WINDOW}}}").replace(
        "    period:", "    group_by: [supplying_state]\n    factors: {t: 7.33}\n    period:")
    + f"""\
  - id: {SPLIT}
    title: Split
    basis: test
    in_force: {{from: 2019-01-01}}
    kind: split_shipment
    match: {{all: [{{use: to_dprk}}, {{item.category: refined_petroleum}}]}}
    threshold: {THRESHOLD} bbl
    min_transfers: {MIN_TRANSFERS}
    window: {{days: {SPLIT_DAYS}}}
"""
)

Delivery = tuple[dt.date, Decimal, str, str, str, str]  # day, amount, unit, sender country, recipient, hs code


@pytest.fixture(scope="module")
def reference_rules(tmp_path_factory: pytest.TempPathFactory) -> CompiledRuleSet:
    root: Path = tree(tmp_path_factory.mktemp("reference"), ENTRIES)
    return compile_rules(load_rules(root), ReferenceDesignations())


deliveries = st.lists(st.tuples(
    st.integers(0, 6),  # days after the previous delivery
    st.decimals(min_value=0, max_value=400, places=1),
    st.sampled_from(["bbl", "bbl", "t", "l"]),
    st.sampled_from(["CN", "RU"]),
    st.sampled_from(["Wonsan Depot", "Nampo Depot"]),
    st.sampled_from(["271019", "271012"]),
), min_size=1, max_size=40)


def in_barrels(amount: Decimal, unit: str) -> Decimal:
    # As the monitor counts: converted amounts are rounded once, to a millionth of a barrel.
    if unit == "t":
        return (amount * FACTOR).quantize(COUNTED_PLACES)
    converted = convert_quantity(amount, unit, "bbl")
    assert converted is not None
    return converted if unit == "bbl" else converted.quantize(COUNTED_PLACES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=deliveries)
def test_totals_and_split_shipments_match_a_brute_force_count(
        reference_rules: CompiledRuleSet, steps: list[tuple[int, Decimal, str, str, str, str]]) -> None:
    day = dt.date(2019, 12, 1)
    stream: list[Delivery] = []
    for gap, amount, unit, sender, recipient, code in steps:
        day += dt.timedelta(days=gap)
        stream.append((day, amount, unit, sender, recipient, code))
    with Monitor(reference_rules) as monitor:
        for k, (day, amount, unit, sender, recipient, code) in enumerate(stream):
            result = monitor.observe(transfer(k, day, amount=amount, unit=unit, sender_country=sender,
                                              recipient=recipient, hs_code=code))
            got = {f.rule: f for f in result.findings}
            earlier = stream[: k + 1]
            barrels = [in_barrels(a, u) for _d, a, u, _s, _r, _c in earlier]
            yearly = sum((b for (d, *_), b in zip(earlier, barrels, strict=True) if d.year == day.year), Decimal(0))
            rolling = sum((b for (d, _a, _u, s, _r, _c), b in zip(earlier, barrels, strict=True)
                           if s == sender and (day - d).days < WINDOW), Decimal(0))
            assert got[YEARLY].total == yearly
            assert got[ROLLING].total == rolling
            under = [(i, b) for i, ((d, _a, u, s, r, c), b) in enumerate(zip(earlier, barrels, strict=True))
                     if u != "t" and b < THRESHOLD and s == sender and r == recipient and c[:4] == code[:4]
                     and (day - d).days < SPLIT_DAYS]
            this_counts = under and under[-1][0] == k
            expected = None
            if this_counts and len(under) >= MIN_TRANSFERS and sum(b for _i, b in under) >= THRESHOLD:
                expected = tuple(f"T{i}" for i, _b in under)
            assert (got[SPLIT].transfers if SPLIT in got else None) == expected

"""Diffs between the real snapshots (numbers from shared/data/README.md, section 1.3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sanctionsrules.screening import Snapshot, diff_snapshots


def test_2026_01_to_2026_05(un_2026_01: Snapshot, un_2026_05: Snapshot) -> None:
    diff = diff_snapshots(un_2026_01, un_2026_05)
    assert [d.reference for d in diff.added] == [
        "QDi.437", "QDi.438", "QDi.439",
        "SDi.007", "SDi.008", "SDi.009", "SDi.010", "SDi.011", "SDi.012", "SDi.013", "SDi.014",
    ]  # fmt: skip
    assert [d.reference for d in diff.removed] == ["QDe.137"]
    # The INTERPOL fields added to all 998 surviving records and the rewritten INTERPOL URL in entity
    # comments are not substance; the README counts 29 records changed in substance.
    assert len(diff.changed) == 29
    changed = {c.reference for c in diff.changed}
    assert {"KPi.043", "CDi.040", "TAi.068", "TAi.164", "TAe.010"} <= changed


def test_only_kpi_043_changed_in_the_dprk_section(un_2026_01: Snapshot, un_2026_05: Snapshot) -> None:
    diff = diff_snapshots(un_2026_01, un_2026_05, regimes={"DPRK"})
    assert not diff.added
    assert not diff.removed
    (change,) = diff.changed
    assert change.reference == "KPi.043"
    (field,) = change.fields
    assert field.field == "identifiers"
    assert field.removed == ("passport 108210124 [type Passport; note Expiration date: 2023-06-04.]",)
    assert field.added == ("passport 108210124 [type Passport; expires 2023-06-04]",)


def test_2017_to_2026_dprk(un_2017: Snapshot, un_2026_05: Snapshot) -> None:
    diff = diff_snapshots(un_2017, un_2026_05, regimes={"DPRK"})
    assert len(diff.added) == 56
    assert not diff.removed
    assert Counter(d.reference[:3] for d in diff.added) == Counter({"KPi": 27, "KPe": 29})
    assert Counter(d.listed_on for d in diff.added) == Counter(
        {dt.date(2017, 8, 5): 13, dt.date(2017, 9, 11): 4, dt.date(2017, 12, 22): 17, dt.date(2018, 3, 30): 22}
    )
    # DATAID is stable for the 99 DPRK records present in both files.
    old = {d.reference: d.dataid for d in un_2017 if d.regime == "DPRK"}
    assert all(un_2026_05.get(r).dataid == dataid for r, dataid in old.items())  # type: ignore[union-attr]


def test_identical_snapshots_have_no_diff(un_2026_05: Snapshot) -> None:
    diff = diff_snapshots(un_2026_05, un_2026_05)
    assert diff.is_empty
    assert diff.to_dict()["changed"] == []

"""Accuracy floors on the labelled evaluation set, and the OFAC cross-check.

The floors sit below the values measured with ``python benchmarks/bench_screening.py`` (recall 0.978 strong /
0.999 possible, precision 0.996 strong / 0.644 possible, no negative hit at the strong band, 91 UN DPRK
records found from OFAC names); a drop below them is a regression.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionsrules.screening import Band, Screener, Snapshot
from sanctionsrules.screening.evaluation import (
    Evaluation,
    evaluate,
    negative_probes,
    ofac_cross_check,
    ofac_dprk_names,
    positive_probes,
)


@pytest.fixture(scope="module")
def evaluation(screener: Screener, un_2026_05: Snapshot) -> Evaluation:
    return evaluate(screener, [*positive_probes(un_2026_05), *negative_probes(un_2026_05)])


def test_probe_set_is_built_from_the_lists(un_2026_05: Snapshot) -> None:
    positives = positive_probes(un_2026_05)
    assert {p.target for p in positives} == {d.reference for d in un_2026_05 if d.regime == "DPRK"}
    assert {p.variant for p in positives} >= {"listed name", "romanisation", "surname last", "typo"}
    negatives = negative_probes(un_2026_05)
    assert sum(p.variant == "common Korean name" for p in negatives) == 3000
    assert all(p.target is None and p.country == "KP" for p in negatives)


def test_recall_floors(evaluation: Evaluation) -> None:
    assert evaluation.at(Band.STRONG).recall >= 0.95
    assert evaluation.at(Band.POSSIBLE).recall >= 0.98
    for variant, (total, strong, _possible) in evaluation.recall_by_variant.items():
        if variant != "typo":
            assert strong / total >= 0.98, variant


def test_precision_floors(evaluation: Evaluation) -> None:
    assert evaluation.at(Band.STRONG).precision >= 0.98
    assert evaluation.at(Band.STRONG).negative_hit_rate <= 0.002
    assert evaluation.at(Band.POSSIBLE).precision >= 0.55
    assert evaluation.at(Band.POSSIBLE).negative_hit_rate <= 0.05


def test_ofac_cross_check(screener: Screener, ofac_dir: Path) -> None:
    entries, names = ofac_dprk_names(ofac_dir)
    assert entries == 414
    assert any(n.as_published == "KIM, Yong Chol" and n.name == "Yong Chol KIM" for n in names)
    check = ofac_cross_check(screener, ofac_dir)
    assert len(check.found_exact_punctuation) == 76  # the figure in shared/data/README.md
    assert check.found_exact_punctuation <= check.found_strong
    assert len(check.found_strong) >= 85

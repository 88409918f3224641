"""Screening behaviour required by the issue, on the real 2026-05-08 list."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest

from sanctionsrules.screening import Band, RecordKind, ScoreBands, Screener, ScreeningError, Snapshot
from sanctionsrules.screening.matcher import COUNTRY_PENALTY, DOB_PENALTY, KIND_PENALTY


def _hits(screener: Screener, name: str, **kwargs: object) -> dict[str, Band]:
    return {m.reference: m.band for m in screener.screen(name, **kwargs)}  # type: ignore[arg-type]


def test_kim_jong_un_is_not_a_strong_match(screener: Screener) -> None:
    matches = screener.screen("Kim Jong Un")
    assert all(m.band is Band.POSSIBLE for m in matches)
    hits = _hits(screener, "Kim Jong Un", country="KP")
    assert hits.get("KPi.066") is not Band.STRONG  # KIM JONG SIK
    assert hits.get("KPi.021") is not Band.STRONG  # KIM JUNG JONG


@pytest.mark.parametrize(
    ("name", "band"),
    [
        ("Korea Mining Development Trading Corporation", Band.STRONG),
        ("Korea Mining Development Trading Corp", Band.STRONG),
        ("KOMID", Band.STRONG),
        ("Korea Mining Development Corp.", Band.POSSIBLE),
    ],
)
def test_komid_spellings(screener: Screener, name: str, band: Band) -> None:
    best = screener.screen(name)[0]
    assert best.reference == "KPe.001"
    assert best.band is Band.STRONG or band is Band.POSSIBLE


def test_a_match_explains_itself(screener: Screener) -> None:
    (best, *_rest) = screener.screen("KOMID", country="KP")
    assert best.primary_name == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert best.matched_name == '"KOMID"'
    assert best.matched_via == "alias"
    assert best.alias_quality == "a.k.a."
    assert best.score == 100.0
    assert best.reasons[0] == "alias '\"KOMID\"' (a.k.a.) matched after normalisation"
    assert "country KP agrees" in best.reasons
    assert best.to_dict()["band"] == "strong"


@pytest.mark.parametrize(
    ("name", "reference", "reason"),
    [
        ("Ri Je Son", "KPi.002", None),
        ("Ri Jeson", "KPi.002", None),
        ("Jeson Ri", "KPi.002", "surname moved"),
        ("Lee Je-son", "KPi.002", "romanisation variant lee~ri"),
        ("Kim Chong Sik", "KPi.066", "romanisation variant chong~jong"),
        ("Kim Young Cheol", "KPi.024", "romanisation variant cheol~chol"),
        ("Park Yong Sik", "KPi.063", "romanisation variant park~pak"),
        ("Choi Chun Sik", "KPi.013", "romanisation variant choi~choe"),
        ("Chong Chon Gang Shipping Co", "KPe.022", None),
        ("Tongbang Bank", "KPe.013", None),
        ("DCB", "KPe.023", None),
        ("Daedong Credit Bank", "KPe.023", None),
        ("Jin Tiesan", "KPi.035", None),
        ("金铁三", "KPi.035", None),
        ("長安海連技術有限公司", "KPe.055", None),
    ],
)
def test_spelling_variants_are_strong(screener: Screener, name: str, reference: str, reason: str | None) -> None:
    best = screener.screen(name)[0]
    assert (best.reference, best.band) == (reference, Band.STRONG), best
    if reason is not None:
        assert any(reason in r for r in best.reasons), best.reasons


def test_different_korean_names_are_not_strong(screener: Screener) -> None:
    # One syllable apart from KIM YONG CHOL (KPi.024): 90 on characters, a different name.
    assert _hits(screener, "Kim Song Chol")["KPi.024"] is Band.POSSIBLE
    # Same syllables, different given name order than the alias "Jang Hyon U" (KPi.016).
    assert _hits(screener, "Jang Woo Hyun").get("KPi.016") is not Band.STRONG
    # "trading company" agreeing does not make HESONG and DAESONG the same company.
    assert _hits(screener, "Hesong Trading Company").get("KPe.042") is not Band.STRONG


def test_identifiers_are_decisive(screener: Screener) -> None:
    for kwargs, reference in (
        ({"identifiers": ["PS381420397"]}, "KPi.009"),
        ({"identifiers": ["472330208"]}, "KPi.019"),  # listed as "PS 472330208"
        ({"identifiers": ["IMO 5342883"]}, "KPe.022"),
        ({"identifiers": ["KPe.001"]}, "KPe.001"),
    ):
        (match,) = [m for m in screener.screen("Someone Unrelated", **kwargs) if m.reference == reference]  # type: ignore[arg-type]
        assert (match.score, match.band, match.matched_via) == (100.0, Band.STRONG, "identifier")
        assert match.reasons[0].endswith("matched (decisive)")
    assert screener.screen("KPi.033 ")[0].reference == "KPi.033"


def test_adjustments_lower_the_score(screener: Screener) -> None:
    def score(**kwargs: object) -> float:
        matches = [m for m in screener.screen("Kim Yong Chol", **kwargs) if m.reference == "KPi.024"]  # type: ignore[arg-type]
        return matches[0].score if matches else 0.0

    assert score() == 100.0
    assert score(country="KP") == 100.0
    assert score(country="Democratic People's Republic of Korea") == 100.0
    assert score(country="CN") == 100.0 - COUNTRY_PENALTY
    assert score(date_of_birth=dt.date(1962, 2, 18)) == 100.0
    assert score(date_of_birth=1962) == 100.0
    assert score(date_of_birth=dt.date(1990, 1, 1)) == 100.0 - DOB_PENALTY
    assert score(kind=RecordKind.ORGANISATION) == 100.0 - KIND_PENALTY
    assert score(kind="person") == 100.0
    reasons = screener.screen("Kim Yong Chol", country="CN", date_of_birth=1990)[0].reasons
    assert any(r.startswith("country CN differs") for r in reasons)
    assert any(r.startswith("date of birth 1990 differs") for r in reasons)


def test_as_of_excludes_later_designations(screener: Screener) -> None:
    # KPe.055 was listed on 2018-03-30.
    assert _hits(screener, "Chang An Shipping & Technology", as_of=dt.date(2018, 3, 30))
    assert not _hits(screener, "Chang An Shipping & Technology", as_of=dt.date(2018, 3, 29))
    assert not _hits(screener, "", identifiers=["IMO 5987860"], as_of=dt.date(2017, 1, 1))


def test_bands_are_configurable(un_2026_05: Snapshot) -> None:
    strict = Screener(un_2026_05, bands=ScoreBands(strong=99.0, possible=95.0))
    assert [m.band for m in strict.screen("Korea Mining Development Corp.")] == [Band.POSSIBLE]
    with pytest.raises(ScreeningError, match="score bands"):
        ScoreBands(strong=70.0, possible=80.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  ?? "}, "nothing to screen"),
        ({"name": "Kim", "country": "Atlantis"}, "unknown country"),
        ({"name": "Kim", "kind": "spaceship"}, "unknown kind"),
        ({"name": "Kim", "limit": 0}, "limit"),
    ],
)
def test_bad_queries(screener: Screener, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ScreeningError, match=message):
        screener.screen(**kwargs)  # type: ignore[arg-type]


def test_limit_and_order(screener: Screener) -> None:
    matches = screener.screen("Kim Chol", limit=3)
    assert len(matches) <= 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_may_match_is_a_sound_prefilter(screener: Screener, un_2026_05: Snapshot) -> None:
    names = [a.name for d in un_2026_05 if d.regime == "DPRK" for a in d.aliases][:80]
    names += ["Kim Jong Un", "Kim Song Chol", "Acme Widgets GmbH", "Maria Garcia", "Jang Woo Hyun", "Zzyzx"]
    for name in names:
        if screener.screen(name, country="KP"):
            assert screener.may_match(name), name
    assert not screener.may_match("Acme Widgets GmbH")
    assert screener.may_match("KOMID")


def test_results_are_cached_on_the_normalised_query(un_2026_05: Snapshot) -> None:
    screener = Screener(un_2026_05)
    first = screener.screen("Kim Jong Un")
    before = screener.cache_info().hits
    assert screener.screen("KIM  JONG UN") == first
    assert screener.cache_info().hits == before + 1


def test_screening_one_name_takes_under_a_millisecond(screener: Screener, un_2026_05: Snapshot) -> None:
    names = [d.primary_name for d in un_2026_05][::3]
    timings = []
    for name in names:
        screener.clear_cache()
        start = time.perf_counter()
        screener.screen(name)
        timings.append(time.perf_counter() - start)
    # Measured median about 0.12 ms (benchmarks/bench_screening.py); the requirement is 1 ms.
    assert statistics.median(timings) < 0.001

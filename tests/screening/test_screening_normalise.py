"""Name normalisation and the Korean romanisation table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionsrules.screening import normalise_name
from sanctionsrules.screening.normalise import identifier_key, name_variants
from sanctionsrules.screening.romanisation import segment


def key(text: str) -> str:
    return normalise_name(text).compact


@pytest.mark.parametrize(
    "names",
    [
        ("Ri Je-son", "Ri Je Son", "Ri Jeson", "RI JE-SON", "ri  je\u2010son"),
        ("Ch\u2019oe Ch\u2019un-yo\u2019ng", "Choe Chun Yong", "CH'OE CH'UN-YO'NG", "Choi Chun Young"),
        ("JÉRÔME", "Jerome", "jérôme"),
        ("AL-NU\u2019AYMI", "Al Nu'aymi", "al-nuaymi"),
        ("CHANG AN SHIPPING & TECHNOLOGY", "CHANG AN SHIPPING AND TECHNOLOGY"),
        ('"KOMID"', "KOMID", "\u201cKomid\u201d"),
        ("Korea Mining Development Trading Corp", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
        ("Korea Ryenha Machinery J/V Corporation", "Korea Ryenha Machinery Joint Venture Corp."),
        ("Office #39", "OFFICE 39"),
        ("2ND ACADEMY OF NATURAL SCIENCES", "Second Academy of Natural Sciences"),
    ],
)
def test_equivalent_spellings_share_one_key(names: tuple[str, ...]) -> None:
    assert len({key(n) for n in names}) == 1, {n: key(n) for n in names}


@pytest.mark.parametrize(
    "spellings",
    [
        ("jong", "chong", "jeong"),
        ("un", "eun"),
        ("ri", "yi", "lee", "rhee", "i"),
        ("pak", "park", "bak"),
        ("choe", "choi"),
        ("kim", "gim"),
        ("il", "ill"),
        ("song", "seong", "sung"),
        ("yong", "young", "ryong"),
        ("kwang", "gwang"),
        ("chol", "cheol", "chul"),
        ("hyon", "hyeon", "hyun"),
        ("gil", "kil"),
        ("pyong", "byeong", "byung"),
        ("ryu", "yu", "yoo"),
        ("u", "woo"),
        ("kyong", "kyeong", "kyung"),
    ],
)
def test_romanisation_variants_of_one_syllable(spellings: tuple[str, ...]) -> None:
    canonical = {segment(s) and segment(s)[0][1] for s in spellings}  # type: ignore[index]
    assert len(canonical) == 1, {s: segment(s) for s in spellings}


@pytest.mark.parametrize(("different", "other"), [("choe", "chae"), ("jong", "jung"), ("kim", "kam")])
def test_distinct_syllables_stay_apart(different: str, other: str) -> None:
    assert key(different) != key(other)


def test_segmentation() -> None:
    assert segment("jeson") == (("je", "je"), ("son", "son"))
    assert segment("kwangil") == (("kwang", "gwang"), ("il", "il"))
    assert segment("muhammad") is None
    assert normalise_name("Kim Jong Un").syllabic
    assert not normalise_name("Korea Mining Development Corp").syllabic


def test_legal_forms_and_core() -> None:
    name = normalise_name("Korea Mining Development Trading CORPOATION")  # a typo in the legal form
    assert name.generic == {"trading", "corp"}
    assert name.core == normalise_name("Korea Mining Development").compact


def test_name_variants() -> None:
    assert name_variants("DAEDONG CREDIT BANK (DCB)") == (
        ("DAEDONG CREDIT BANK", "without the parenthetical"),
        ("DCB", "acronym or other-script name in parentheses"),
    )
    assert name_variants("Jin Tiesan (金铁三)")[1][0] == "金铁三"
    assert name_variants("SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)") == (
        ("SECOND ACADEMY OF NATURAL SCIENCES", "without the parenthetical"),
    )
    assert name_variants("LEADER (HONG KONG) INTERNATIONAL") == (("LEADER INTERNATIONAL", "without the parenthetical"),)
    assert name_variants("KIM JONG SIK") == ()


def test_identifier_keys() -> None:
    assert identifier_key("PS 472330208 ") == "PS472330208"
    assert identifier_key("IMO 5342883") == identifier_key("5342883") == "5342883"
    assert identifier_key("KPe.001") == "KPE001"


_SYLLABLES = st.sampled_from(["kim", "ri", "pak", "jong", "un", "chol", "yong", "song", "il", "hyok", "nam"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_SYLLABLES, min_size=2, max_size=4), st.sampled_from([" ", "-", ""]), st.booleans())
def test_spacing_hyphens_and_case_never_change_the_key(syllables: list[str], joiner: str, upper: bool) -> None:
    spaced = " ".join(syllables)
    other = syllables[0] + " " + joiner.join(syllables[1:])
    assert key(spaced) == key(other.upper() if upper else other.title())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalisation_never_fails_and_is_stable(text: str) -> None:
    first = normalise_name(text)
    assert first == normalise_name(text)
    assert " " not in first.compact

"""The UN XML importer against the three real snapshots and every quirk in shared/data/README.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest

from sanctionsrules.screening import (
    DobKind,
    IdentifierType,
    RecordKind,
    ScreeningError,
    Snapshot,
    parse_un_xml,
)

SHA_2026_05 = "1f1b3bfe29a53e7ac7c42ee4e58d6a7d1ebdf7c5e91fd990d3e63aefe0313dea"


def _dprk(snapshot: Snapshot) -> list[str]:
    return [d.reference for d in snapshot if d.regime == "DPRK"]


@pytest.mark.parametrize(
    ("fixture", "people", "entities", "dprk_people", "dprk_entities"),
    [
        ("un_2026_05", 737, 272, 80, 75),
        ("un_2026_01", 726, 273, 80, 75),
        ("un_2017", 650, 371, 53, 46),
    ],
)
def test_counts_match_the_published_lists(
    request: pytest.FixtureRequest, fixture: str, people: int, entities: int, dprk_people: int, dprk_entities: int
) -> None:
    snapshot: Snapshot = request.getfixturevalue(fixture)
    kinds = Counter(d.kind for d in snapshot)
    assert kinds[RecordKind.PERSON] == people
    assert kinds[RecordKind.ORGANISATION] == entities
    dprk = _dprk(snapshot)
    assert sum(r.startswith("KPi.") for r in dprk) == dprk_people
    assert sum(r.startswith("KPe.") for r in dprk) == dprk_entities
    # UN_LIST_TYPE DPRK is exactly the KP references once whitespace is stripped.
    assert all(r.startswith("KP") for r in dprk)
    assert sum(d.reference.startswith("KP") for d in snapshot) == len(dprk)


def test_provenance(un_2026_05: Snapshot) -> None:
    provenance = un_2026_05.provenance
    assert provenance.source_name == "consolidated-2026-05-08.xml"
    assert provenance.source_sha256 == SHA_2026_05
    assert provenance.date_generated == "2026-05-08T23:00:06.922Z"
    assert provenance.generated_on == dt.date(2026, 5, 8)
    assert provenance.format_version == 1


def test_records_are_sorted_and_immutable(un_2026_05: Snapshot) -> None:
    references = [d.reference for d in un_2026_05]
    assert references == sorted(references)
    record = un_2026_05.get("KPe.001")
    assert record is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.primary_name = "changed"  # type: ignore[misc]


def test_reference_whitespace_is_stripped(un_2026_05: Snapshot, un_2017: Snapshot) -> None:
    for reference in ("KPe.023", "KPe.055", "KPe.056"):
        assert un_2026_05.get(reference) is not None
        assert un_2026_05.get(reference + " ") is not None
    assert all(" " not in d.reference for d in un_2017)


def test_entity_name_and_alias_qualities(un_2026_05: Snapshot) -> None:
    komid = un_2026_05.get("KPe.001")
    assert komid is not None
    assert komid.kind is RecordKind.ORGANISATION
    assert komid.primary_name == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert [(a.name, a.quality) for a in komid.aliases][-1] == ('"KOMID"', "a.k.a.")
    assert komid.listed_on == dt.date(2009, 4, 24)
    assert komid.last_updated == ()
    chang_an = un_2026_05.get("KPe.055")
    assert chang_an is not None
    assert chang_an.primary_name == "CHANG AN SHIPPING & TECHNOLOGY"
    assert {"CN", "HK"} <= chang_an.country_codes()  # Hong Kong given as STATE_PROVINCE
    qualities = Counter(a.quality for d in un_2026_05 if d.regime == "DPRK" for a in d.aliases)
    assert qualities == Counter({"a.k.a.": 124, "Good": 82, "f.k.a.": 7, "Low": 1})


def test_placeholder_aliases_are_dropped(un_2026_05: Snapshot) -> None:
    record = un_2026_05.get("KPi.009")
    assert record is not None
    assert record.aliases == ()
    assert all(a.name for d in un_2026_05 for a in d.aliases)


def test_person_names_are_joined_and_cleaned(un_2026_05: Snapshot, un_2017: Snapshot) -> None:
    assert un_2026_05.get("KPi.009").primary_name == "KIM KWANG-IL"  # type: ignore[union-attr]
    assert un_2026_05.get("KPi.029").name_parts == ("PAK", "CHUN", "IL")  # type: ignore[union-attr]
    # 2017: FIRST_NAME " RI " and an empty <THIRD_NAME/>.
    assert un_2017.get("KPi.033").primary_name == "RI WON HO"  # type: ignore[union-attr]
    # The XSD default "na" appears as a literal FOURTH_NAME: it means no value.
    taliban = un_2026_05.get("TAi.153")
    assert taliban is not None
    assert "na" not in taliban.name_parts
    for record in un_2026_05:
        for text in (record.primary_name, *(a.name for a in record.aliases), record.comments or ""):
            assert text == " ".join(text.split())


def test_dates_of_birth_in_every_shape(un_2026_05: Snapshot, un_2017: Snapshot) -> None:
    between = un_2026_05.get("KPi.066").dates_of_birth  # type: ignore[union-attr]
    assert [(d.kind, d.from_year, d.to_year) for d in between] == [(DobKind.BETWEEN, 1967, 1969)]
    several = un_2026_05.get("KPi.007").dates_of_birth  # type: ignore[union-attr]
    assert [d.date or d.year for d in several] == [dt.date(1968, 2, 19), 1965, 1966]
    # An INDIVIDUAL_DATE_OF_BIRTH holding only an empty TYPE_OF_DATE says nothing and is dropped.
    for reference in ("KPi.005", "KPi.010", "KPi.011", "KPi.014", "KPi.049", "KPi.054", "KPi.061", "KPi.062"):
        assert un_2026_05.get(reference).dates_of_birth == ()  # type: ignore[union-attr]
    kinds = Counter(d.kind for r in un_2026_05 for d in r.dates_of_birth)
    assert kinds[DobKind.APPROXIMATELY] == 117
    assert any(d.note and d.year_range() is None for r in un_2026_05 for d in r.dates_of_birth)
    # 2017 writes three DOBs as YYYY-MM-DD-05:00 and ten LISTED_ON as YYYY-MM-DD-04:00.
    assert sum(1 for r in un_2017 for d in r.dates_of_birth if d.date) == 377
    assert [d.date for d in un_2017.get("SSi.005").dates_of_birth] == [dt.date(1960, 1, 1)]  # type: ignore[union-attr]
    assert un_2026_05.get("TAi.173").listed_on == dt.date(2015, 3, 27)  # type: ignore[union-attr]


def test_documents(un_2026_05: Snapshot) -> None:
    # The same passport in English, French and Spanish is one identifier, with the English label.
    for reference, number in (("KPi.009", "PS381420397"), ("KPi.008", "645120196"), ("KPi.006", "381420754")):
        identifiers = un_2026_05.get(reference).identifiers  # type: ignore[union-attr]
        assert [(i.type, i.number, i.type_text) for i in identifiers] == [(IdentifierType.PASSPORT, number, "Passport")]
    kpi006 = un_2026_05.get("KPi.006").identifiers[0]  # type: ignore[union-attr]
    assert kpi006.note == "Expires on 7 Dec. 2016"
    assert kpi006.issued_on == dt.date(2011, 12, 7)
    # COUNTRY_OF_ISSUE and ISSUING_COUNTRY both give the issuer.
    assert un_2026_05.get("KPi.009").identifiers[0].country_code == "KP"  # type: ignore[union-attr]
    assert un_2026_05.get("KPi.017").identifiers[0].country_code == "KP"  # type: ignore[union-attr]
    # Trailing spaces and a note inside NUMBER.
    assert un_2026_05.get("KPi.035").identifiers[0].number == "645120378"  # type: ignore[union-attr]
    kim = un_2026_05.get("KPi.021").identifiers  # type: ignore[union-attr]
    assert [(i.number, i.note) for i in kim][1] == ("381110042", "Expired 25 Jan. 2016")
    # DATE_OF_EXPIRY is new in 2026.
    assert un_2026_05.get("KPi.043").identifiers[0].expires_on == dt.date(2023, 6, 4)  # type: ignore[union-attr]
    # A multi-line TYPE_OF_DOCUMENT is collapsed and classified.
    national = [i for r in un_2026_05 for i in r.identifiers if i.type is IdentifierType.NATIONAL_ID]
    assert any(i.type_text == "National Identification Number" for i in national)


def test_imo_numbers_from_comments(un_2026_05: Snapshot) -> None:
    def imo(reference: str) -> list[str | None]:
        record = un_2026_05.get(reference)
        assert record is not None
        return [i.number for i in record.identifiers if i.type is IdentifierType.IMO]

    assert imo("KPe.022") == ["5342883"]
    assert imo("KPe.020") == ["1790183"]  # "International Maritime Organization (IMO) Number: 1790183"
    assert imo("KPe.066") == ["5434358"]  # "Company Number IMO 5434358"
    assert sum(len(imo(r)) for r in _dprk(un_2026_05)) == 16


def test_nationality_codes(un_2026_05: Snapshot) -> None:
    dprk = [d for d in un_2026_05 if d.kind is RecordKind.PERSON and d.regime == "DPRK"]
    assert sum(d.nationality_codes == ("KP",) for d in dprk) == 79
    tsang = un_2026_05.get("KPi.080")
    assert tsang is not None
    assert tsang.nationality_codes == ()
    assert un_2026_05.get("KPe.005").country_codes() == {"IR"}  # type: ignore[union-attr]


MINIMAL = b"""<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2030-01-02T03:04:05Z'>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID><VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME> NA </FIRST_NAME><SECOND_NAME>MI-RAE</SECOND_NAME><FOURTH_NAME>na</FOURTH_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER> KPi.999 </REFERENCE_NUMBER>
      <LISTED_ON>2030-01-01-04:00</LISTED_ON>
      <A_NEW_ELEMENT_FROM_2031>whatever</A_NEW_ELEMENT_FROM_2031>
      <HAS_INTERPOL_LINK>NO</HAS_INTERPOL_LINK><INTERPOL_LINK/>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-01-31-05:00</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>"""


def test_minimal_list_with_unknown_elements() -> None:
    snapshot = parse_un_xml(MINIMAL, source_name="minimal.xml")
    (record,) = snapshot.designations
    assert record.reference == "KPi.999"
    assert record.primary_name == "NA MI-RAE"  # upper-case NA is a surname, only "na" is null
    assert record.listed_on == dt.date(2030, 1, 1)
    assert record.aliases == ()
    assert [d.date for d in record.dates_of_birth] == [dt.date(1970, 1, 31)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CONSOLIDATED_LIST dateGenerated='2030-01-01T00:00:00Z'><INDIVIDUALS>", "not well-formed"),
        (b"<sdnList/>", "not a UN consolidated list"),
        (b"<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>", "no dateGenerated"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>",
            "unsafe XML",
        ),
        (MINIMAL.replace(b"1970-01-31-05:00", b"31/01/1970"), "is not a date"),
        (MINIMAL.replace(b"<REFERENCE_NUMBER> KPi.999 </REFERENCE_NUMBER>", b""), "no REFERENCE_NUMBER"),
    ],
)
def test_bad_input_raises_screening_error(data: bytes, message: str) -> None:
    with pytest.raises(ScreeningError, match=message) as caught:
        parse_un_xml(data, source_name="bad.xml")
    assert "bad.xml" in str(caught.value)
    assert isinstance(caught.value, ValueError)

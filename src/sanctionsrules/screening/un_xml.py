"""Import the UN Security Council Consolidated List XML into a normalised :class:`Snapshot`.

The XML comes from outside, so it is parsed with defusedxml (no DTDs, no entity expansion) and never touched
with regular expressions; regular expressions only ever see single, already extracted text values. The
importer reads the elements it knows and ignores the rest, so new elements (``HAS_INTERPOL_LINK`` in 2026,
``SUBMITTED_BY`` in 2017) neither break it nor leak into the normalised data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

# defusedxml ships no type information; the only call is wrapped in _parse_xml, which checks the result.
import defusedxml.ElementTree as _defused_et  # type: ignore[import-untyped,unused-ignore]

from .countries import country_codes
from .errors import ScreeningError
from .normalise import identifier_key
from .records import (
    Alias,
    DateOfBirth,
    Designation,
    DobKind,
    Identifier,
    IdentifierType,
    Location,
    Provenance,
    RecordKind,
    Snapshot,
)

__all__ = ["SNAPSHOT_FORMAT_VERSION", "import_un_xml", "parse_un_xml"]

_T = TypeVar("_T")

# Bumped whenever the normalised model or its JSON form changes meaning; snapshot readers check it.
SNAPSHOT_FORMAT_VERSION = 1

# xs:date with the optional time zone the 2017-2020 lists append ("1968-02-19-05:00", "2015-03-27-04:00").
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
_YEAR = re.compile(r"^\d{4}$")
# Company/ship IMO numbers appear only in COMMENTS1 text: "IMO number: 5571322", "Company Number IMO 5434358",
# "International Maritime Organization (IMO) Number: 1790183".
_IMO_IN_TEXT = re.compile(r"\bIMO\b\)?[^0-9]{0,20}?\b(\d{7})\b", re.IGNORECASE)
# "381110042 (Expired 25 Jan. 2016)": a note published inside the NUMBER element.
_NUMBER_WITH_NOTE = re.compile(r"^(?P<number>[^()]+?)\s*\((?P<note>[^()]*)\)$")

_DOB_KINDS = {"EXACT": DobKind.EXACT, "APPROXIMATELY": DobKind.APPROXIMATELY, "BETWEEN": DobKind.BETWEEN}
_PASSPORT_WORDS = ("passport", "passeport", "pasaporte")
_NATIONAL_ID_WORDS = ("identification", "identity", "id card", "tazkira", "national number", "fiscal code")
# The same DPRK passports are listed under French and Spanish labels as well; prefer the English label.
_FOREIGN_LABELS = frozenset({"numéro de passeport", "número de pasaporte"})


def import_un_xml(path: str | os.PathLike[str]) -> Snapshot:
    """Read a UN consolidated-list XML file and return its normalised snapshot.

    Raises ScreeningError (naming the file) when the file cannot be read or is not a consolidated list.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ScreeningError(f"{file}: cannot read: {exc.strerror or exc}") from None
    return parse_un_xml(data, source_name=file.name)


def parse_un_xml(data: bytes, *, source_name: str) -> Snapshot:
    """Parse consolidated-list XML bytes; ``source_name`` is recorded in the provenance and used in errors."""
    root = _parse_xml(data, source_name)
    if root.tag != "CONSOLIDATED_LIST":
        raise ScreeningError(f"{source_name}: not a UN consolidated list (root element is <{root.tag}>)")
    generated = _clean(root.get("dateGenerated"))
    if generated is None:
        raise ScreeningError(f"{source_name}: <CONSOLIDATED_LIST> has no dateGenerated attribute")
    try:
        dt.datetime.fromisoformat(generated)
    except ValueError:
        raise ScreeningError(f"{source_name}: dateGenerated {generated!r} is not a date-time") from None
    records: list[Designation] = []
    for element in root.iterfind("INDIVIDUALS/INDIVIDUAL"):
        records.append(_designation(element, RecordKind.PERSON, source_name))
    for element in root.iterfind("ENTITIES/ENTITY"):
        records.append(_designation(element, RecordKind.ORGANISATION, source_name))
    if not records:
        raise ScreeningError(f"{source_name}: the list holds no INDIVIDUAL or ENTITY records")
    seen: set[str] = set()
    for record in records:
        if record.reference in seen:
            raise ScreeningError(f"{source_name}: reference number {record.reference} appears twice")
        seen.add(record.reference)
    provenance = Provenance(
        source_name=source_name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        date_generated=generated,
        format_version=SNAPSHOT_FORMAT_VERSION,
    )
    # The UN does not sort its records; a stable order keeps snapshots and diffs reproducible.
    return Snapshot(provenance, tuple(sorted(records, key=lambda r: r.reference)))


def _parse_xml(data: bytes, source_name: str) -> ET.Element:
    try:
        root = _defused_et.fromstring(data, forbid_dtd=True)
    except ET.ParseError as exc:
        raise ScreeningError(f"{source_name}: not well-formed XML: {exc}") from None
    except ValueError as exc:  # defusedxml's DTDForbidden, EntitiesForbidden, ... are ValueErrors
        raise ScreeningError(f"{source_name}: refused unsafe XML: {exc}") from None
    if not isinstance(root, ET.Element):
        raise ScreeningError(f"{source_name}: XML parser returned no element")
    return root


def _clean(text: str | None) -> str | None:
    """Strip and collapse whitespace; empty and the XSD's literal default ``na`` mean "no value".

    Only lower-case ``na`` is treated as null: ``NA``/``Na`` is a real Korean surname (나).
    """
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if not cleaned or cleaned == "na":
        return None
    return cleaned


def _text(parent: ET.Element, tag: str) -> str | None:
    child = parent.find(tag)
    return None if child is None else _clean(child.text)


def _values(parent: ET.Element, tag: str) -> tuple[str, ...]:
    found: list[str] = []
    for value in parent.iterfind(f"{tag}/VALUE"):
        text = _clean(value.text)
        if text is not None and text not in found:
            found.append(text)
    return tuple(found)


def _date(text: str | None, what: str, reference: str, source_name: str) -> dt.date | None:
    if text is None:
        return None
    match = _DATE.match(text)
    if match is None:
        raise ScreeningError(f"{source_name}: {reference}: {what} {text!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ScreeningError(f"{source_name}: {reference}: {what} {text!r} is not a valid date") from None


def _designation(element: ET.Element, kind: RecordKind, source_name: str) -> Designation:
    dataid = _text(element, "DATAID")
    raw_reference = _text(element, "REFERENCE_NUMBER")
    if raw_reference is None:
        raise ScreeningError(f"{source_name}: record DATAID {dataid} has no REFERENCE_NUMBER")
    # Reference numbers carry stray spaces ("KPe.023 "); they are identifiers, so all whitespace goes.
    reference = "".join(raw_reference.split())
    regime = _text(element, "UN_LIST_TYPE") or ""
    if kind is RecordKind.PERSON:
        parts = tuple(p for p in (_text(element, t) for t in _NAME_TAGS) if p is not None)
    else:
        whole = _text(element, "FIRST_NAME")
        parts = (whole,) if whole else ()
    if not parts:
        raise ScreeningError(f"{source_name}: {reference} has no name")
    alias_tag, address_tag = (
        ("INDIVIDUAL_ALIAS", "INDIVIDUAL_ADDRESS") if kind is RecordKind.PERSON else ("ENTITY_ALIAS", "ENTITY_ADDRESS")
    )
    comments = _text(element, "COMMENTS1")
    nationalities = _values(element, "NATIONALITY")
    identifiers = _identifiers(element, reference, source_name)
    if comments:
        identifiers += _imo_numbers(comments, identifiers)
    return Designation(
        reference=reference,
        kind=kind,
        regime=regime,
        primary_name=" ".join(parts),
        dataid=dataid,
        name_parts=parts,
        original_script_name=_text(element, "NAME_ORIGINAL_SCRIPT"),
        aliases=_aliases(element, alias_tag),
        titles=_values(element, "TITLE"),
        roles=_values(element, "DESIGNATION"),
        gender=_text(element, "GENDER"),
        nationalities=nationalities,
        nationality_codes=_codes(nationalities),
        dates_of_birth=_dates_of_birth(element, reference, source_name),
        places_of_birth=tuple(_location(p) for p in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH")),
        addresses=tuple(_location(a) for a in element.iterfind(address_tag)),
        identifiers=identifiers,
        listed_on=_date(_text(element, "LISTED_ON"), "LISTED_ON", reference, source_name),
        last_updated=tuple(
            d
            for d in (
                _date(v, "LAST_DAY_UPDATED", reference, source_name) for v in _values(element, "LAST_DAY_UPDATED")
            )
            if d is not None
        ),
        comments=comments,
        interpol_link=_text(element, "INTERPOL_LINK"),
    )


_NAME_TAGS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _codes(countries: Iterable[str]) -> tuple[str, ...]:
    found: list[str] = []
    for country in countries:
        for code in country_codes(country):
            if code not in found:
                found.append(code)
    return tuple(found)


def _aliases(element: ET.Element, tag: str) -> tuple[Alias, ...]:
    aliases: list[Alias] = []
    for alias in element.iterfind(tag):
        name = _text(alias, "ALIAS_NAME")
        # Placeholder aliases (empty QUALITY and ALIAS_NAME) and nameless ones have nothing to match on.
        if name is None:
            continue
        aliases.append(
            Alias(
                name=name,
                quality=_text(alias, "QUALITY"),
                note=_text(alias, "NOTE"),
                date_of_birth=_text(alias, "DATE_OF_BIRTH"),
                city_of_birth=_text(alias, "CITY_OF_BIRTH"),
                country_of_birth=_text(alias, "COUNTRY_OF_BIRTH"),
            )
        )
    return tuple(aliases)


def _dates_of_birth(element: ET.Element, reference: str, source_name: str) -> tuple[DateOfBirth, ...]:
    found: list[DateOfBirth] = []
    for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        type_text = _text(dob, "TYPE_OF_DATE")
        kind = _DOB_KINDS.get(type_text.upper(), DobKind.UNSPECIFIED) if type_text else DobKind.UNSPECIFIED
        note = _text(dob, "NOTE")
        date_text = _text(dob, "DATE")
        date: dt.date | None = None
        year = _year(_text(dob, "YEAR"))
        if date_text is not None:
            if _YEAR.match(date_text):
                year = int(date_text)
            else:
                date = _date(date_text, "DATE_OF_BIRTH", reference, source_name)
        entry = DateOfBirth(
            kind=kind,
            date=date,
            year=year,
            from_year=_year(_text(dob, "FROM_YEAR")),
            to_year=_year(_text(dob, "TO_YEAR")),
            note=note,
        )
        # 49 DOB elements hold nothing but an empty TYPE_OF_DATE: they say nothing, so they are dropped.
        if entry.year_range() is None and note is None:
            continue
        if entry not in found:
            found.append(entry)
    return tuple(found)


def _year(text: str | None) -> int | None:
    if text is None or not _YEAR.match(text):
        return None
    return int(text)


def _location(element: ET.Element) -> Location:
    country = _text(element, "COUNTRY")
    state = _text(element, "STATE_PROVINCE")
    codes = list(country_codes(country))
    # KPe.055 gives Hong Kong as STATE_PROVINCE with COUNTRY "China": the party may well say HK.
    if state is not None and state.lower() == "hong kong" and "HK" not in codes:
        codes.append("HK")
    return Location(
        street=_text(element, "STREET"),
        city=_text(element, "CITY"),
        state_province=state,
        zip_code=_text(element, "ZIP_CODE"),
        country=country,
        country_codes=tuple(codes),
        note=_text(element, "NOTE"),
    )


def _identifier_type(*labels: str | None) -> IdentifierType:
    text = " ".join(label.lower() for label in labels if label)
    if any(word in text for word in _PASSPORT_WORDS):
        return IdentifierType.PASSPORT
    if any(word in text for word in _NATIONAL_ID_WORDS):
        return IdentifierType.NATIONAL_ID
    return IdentifierType.OTHER


def _identifiers(element: ET.Element, reference: str, source_name: str) -> tuple[Identifier, ...]:
    documents: list[Identifier] = []
    for doc in element.iterfind("INDIVIDUAL_DOCUMENT"):
        type_text = _text(doc, "TYPE_OF_DOCUMENT")
        type_detail = _text(doc, "TYPE_OF_DOCUMENT2")
        number = _text(doc, "NUMBER")
        note = _text(doc, "NOTE")
        if number is not None:
            match = _NUMBER_WITH_NOTE.match(number)
            if match is not None:
                number = match["number"]
                note = "; ".join(n for n in (match["note"].strip(), note) if n)
        country = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
        codes = country_codes(country)
        identifier = Identifier(
            type=_identifier_type(type_text, type_detail),
            number=number,
            type_text=type_text,
            type_detail=type_detail,
            country=country,
            country_code=codes[0] if len(codes) == 1 else None,
            issued_on=_date(_text(doc, "DATE_OF_ISSUE"), "DATE_OF_ISSUE", reference, source_name),
            issue_city=_text(doc, "CITY_OF_ISSUE"),
            expires_on=_date(_text(doc, "DATE_OF_EXPIRY"), "DATE_OF_EXPIRY", reference, source_name),
            note=note,
        )
        if identifier != Identifier(type=IdentifierType.OTHER, number=None):  # 435 documents are empty
            documents.append(identifier)
    return _deduplicate(documents)


def _deduplicate(documents: list[Identifier]) -> tuple[Identifier, ...]:
    """Merge documents sharing (number, country): DPRK passports appear in English, French and Spanish."""
    groups: dict[tuple[str, str | None], list[Identifier]] = {}
    order: list[tuple[str, str | None]] = []
    unnumbered: list[Identifier] = []
    for doc in documents:
        if doc.number is None:
            unnumbered.append(doc)
            continue
        key = (identifier_key(doc.number), doc.country_code or doc.country)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(doc)
    merged: list[Identifier] = []
    for key in order:
        group = sorted(groups[key], key=lambda d: (d.type_text or "").lower() in _FOREIGN_LABELS)
        merged.append(
            replace(
                group[0],
                type=next((d.type for d in group if d.type is not IdentifierType.OTHER), group[0].type),
                type_detail=_first(d.type_detail for d in group),
                issued_on=_first(d.issued_on for d in group),
                issue_city=_first(d.issue_city for d in group),
                expires_on=_first(d.expires_on for d in group),
                note=_first(d.note for d in group),
            )
        )
    return tuple(merged + unnumbered)


def _first(values: Iterable[_T | None]) -> _T | None:
    return next((v for v in values if v is not None), None)


def _imo_numbers(comments: str, known: tuple[Identifier, ...]) -> tuple[Identifier, ...]:
    numbers = {i.number for i in known if i.type is IdentifierType.IMO}
    found: list[Identifier] = []
    for match in _IMO_IN_TEXT.finditer(comments):
        if match[1] not in numbers:
            numbers.add(match[1])
            found.append(Identifier(type=IdentifierType.IMO, number=match[1], type_text="IMO number (in comments)"))
    return tuple(found)

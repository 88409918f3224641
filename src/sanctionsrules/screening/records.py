"""The normalised, immutable data model of a sanctions-list snapshot.

Every class is a frozen dataclass with slots: records are shared between the snapshot, the matcher's index and
cached screening results, so they must never change after import, and slots keep a 1,000-record list small and
quick to build when a snapshot is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import ScreeningError

__all__ = [
    "ALIAS_QUALITY_AKA",
    "ALIAS_QUALITY_FKA",
    "ALIAS_QUALITY_GOOD",
    "ALIAS_QUALITY_LOW",
    "APPROXIMATE_YEAR_TOLERANCE",
    "Alias",
    "DateOfBirth",
    "Designation",
    "DobKind",
    "Identifier",
    "IdentifierType",
    "Location",
    "Provenance",
    "RecordKind",
    "Snapshot",
]

# Alias qualities as the UN spells them. Individuals use Good/Low, entities a.k.a./f.k.a.; an alias may also
# have no quality at all (kept as None), and an unknown future value is kept verbatim rather than rejected.
ALIAS_QUALITY_GOOD = "Good"
ALIAS_QUALITY_LOW = "Low"
ALIAS_QUALITY_AKA = "a.k.a."
ALIAS_QUALITY_FKA = "f.k.a."


class RecordKind(StrEnum):
    """What a designation (or a screened party) is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    # The UN consolidated XML carries no vessels; the value exists for parties a caller screens.
    VESSEL = "vessel"


class IdentifierType(StrEnum):
    """Kinds of identifying numbers held on a designation."""

    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    IMO = "imo"
    OTHER = "other"


class DobKind(StrEnum):
    """The UN ``TYPE_OF_DATE`` of a date of birth; ``UNSPECIFIED`` when empty or unknown."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    BETWEEN = "between"
    UNSPECIFIED = "unspecified"


# How far an "approximately YYYY" date of birth may be from a caller's year and still agree.
APPROXIMATE_YEAR_TOLERANCE = 2


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name of a designation, with the UN's quality (``Good``, ``Low``, ``a.k.a.``, ``f.k.a.``)."""

    name: str
    quality: str | None = None
    note: str | None = None
    date_of_birth: str | None = None
    city_of_birth: str | None = None
    country_of_birth: str | None = None


@dataclass(frozen=True, slots=True)
class DateOfBirth:
    """One published date of birth in any UN shape (exact date, year, approximate year, range, note)."""

    kind: DobKind
    date: dt.date | None = None
    year: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    note: str | None = None

    def year_range(self) -> tuple[int, int] | None:
        """The inclusive range of birth years this entry allows, or None when it holds only a note."""
        if self.date is not None:
            return (self.date.year, self.date.year)
        if self.year is not None:
            if self.kind is DobKind.APPROXIMATELY:
                return (self.year - APPROXIMATE_YEAR_TOLERANCE, self.year + APPROXIMATE_YEAR_TOLERANCE)
            return (self.year, self.year)
        if self.from_year is not None or self.to_year is not None:
            low = self.from_year if self.from_year is not None else self.to_year
            high = self.to_year if self.to_year is not None else self.from_year
            assert low is not None
            assert high is not None
            return (min(low, high), max(low, high))
        return None


@dataclass(frozen=True, slots=True)
class Location:
    """An address or a place of birth. ``country_codes`` are ISO 3166-1 alpha-2 codes derived at import."""

    street: str | None = None
    city: str | None = None
    state_province: str | None = None
    zip_code: str | None = None
    country: str | None = None
    country_codes: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    """A passport, national id, IMO number or other document number held on a designation.

    ``number`` is the number as published (whitespace stripped, any trailing parenthetical moved to ``note``);
    ``type_text`` is the document type as published (the first English label when one number was listed in
    several languages). ``expires_on`` is only the structured ``DATE_OF_EXPIRY``: an expiry mentioned in the
    free-text note stays in ``note`` (see the README, "Snapshots and diffs").
    """

    type: IdentifierType
    number: str | None
    type_text: str | None = None
    type_detail: str | None = None
    country: str | None = None
    country_code: str | None = None
    issued_on: dt.date | None = None
    issue_city: str | None = None
    expires_on: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Designation:
    """One designated individual or entity, normalised. ``reference`` is the stripped UN reference number."""

    reference: str
    kind: RecordKind
    regime: str
    primary_name: str
    dataid: str | None = None
    name_parts: tuple[str, ...] = ()
    original_script_name: str | None = None
    aliases: tuple[Alias, ...] = ()
    titles: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    gender: str | None = None
    nationalities: tuple[str, ...] = ()
    nationality_codes: tuple[str, ...] = ()
    dates_of_birth: tuple[DateOfBirth, ...] = ()
    places_of_birth: tuple[Location, ...] = ()
    addresses: tuple[Location, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    listed_on: dt.date | None = None
    last_updated: tuple[dt.date, ...] = ()
    comments: str | None = None
    interpol_link: str | None = None

    def country_codes(self) -> frozenset[str]:
        """Every ISO alpha-2 country of the record: nationality, addresses, birth places, document issuers."""
        codes: set[str] = set(self.nationality_codes)
        for place in (*self.addresses, *self.places_of_birth):
            codes.update(place.country_codes)
        codes.update(i.country_code for i in self.identifiers if i.country_code)
        return frozenset(codes)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a snapshot came from: the source file, its hash and the list's own generation timestamp."""

    source_name: str
    source_sha256: str
    date_generated: str
    format_version: int
    list_name: str = "UN Security Council Consolidated List"
    importer: str = "sanctionsrules.screening.un_xml"

    @property
    def generated_on(self) -> dt.date:
        """The calendar date of ``date_generated`` in the list's own time zone."""
        return dt.datetime.fromisoformat(self.date_generated).date()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable, versioned copy of a sanctions list: provenance plus designations sorted by reference."""

    provenance: Provenance
    designations: tuple[Designation, ...]
    _by_reference: dict[str, Designation] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_reference: dict[str, Designation] = {}
        for designation in self.designations:
            if designation.reference in by_reference:
                raise ScreeningError(f"duplicate reference number {designation.reference!r} in snapshot")
            by_reference[designation.reference] = designation
        object.__setattr__(self, "_by_reference", by_reference)

    def __len__(self) -> int:
        return len(self.designations)

    def __iter__(self) -> Iterator[Designation]:
        return iter(self.designations)

    def get(self, reference: str) -> Designation | None:
        """The designation with this reference number (whitespace ignored), or None."""
        return self._by_reference.get("".join(reference.split()))

    def references(self) -> frozenset[str]:
        """All reference numbers in the snapshot."""
        return frozenset(self._by_reference)

    def regimes(self) -> frozenset[str]:
        """All regimes (UN_LIST_TYPE values) present."""
        return frozenset(d.regime for d in self.designations)

"""Write and read normalised snapshots (gzip-compressed JSON), and load the snapshot shipped in the package.

The file is a single JSON object: ``format`` (a fixed marker), ``format_version``, ``provenance`` and
``designations``. Empty and null fields are left out, dates are ISO strings, and gzip runs with a fixed
timestamp, so importing the same XML twice gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import os
import zlib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ScreeningError
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
from .un_xml import SNAPSHOT_FORMAT_VERSION, parse_un_xml

__all__ = [
    "DEFAULT_SNAPSHOT",
    "load_default_snapshot",
    "open_list",
    "read_snapshot",
    "snapshot_from_bytes",
    "snapshot_to_bytes",
    "write_snapshot",
]

DEFAULT_SNAPSHOT = "un-consolidated-2026-05-08.json.gz"
_FORMAT = "sanctionsrules.screening.snapshot"
_GZIP_MAGIC = b"\x1f\x8b"


def snapshot_to_bytes(snapshot: Snapshot) -> bytes:
    """The gzip-compressed JSON form of a snapshot (deterministic for equal snapshots)."""
    document = {
        "format": _FORMAT,
        "format_version": snapshot.provenance.format_version,
        "provenance": _compact(
            {
                "list_name": snapshot.provenance.list_name,
                "source_name": snapshot.provenance.source_name,
                "source_sha256": snapshot.provenance.source_sha256,
                "date_generated": snapshot.provenance.date_generated,
                "importer": snapshot.provenance.importer,
            }
        ),
        "designations": [_designation_to_json(d) for d in snapshot.designations],
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write_snapshot(snapshot: Snapshot, path: str | os.PathLike[str]) -> Path:
    """Write ``snapshot`` to ``path`` (gzip JSON) and return the path. Raises ScreeningError if it cannot."""
    target = Path(path)
    try:
        target.write_bytes(snapshot_to_bytes(snapshot))
    except OSError as exc:
        raise ScreeningError(f"{target}: cannot write snapshot: {exc.strerror or exc}") from None
    return target


def read_snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """Read a snapshot written by :func:`write_snapshot` (gzip or plain JSON)."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ScreeningError(f"{source}: cannot read: {exc.strerror or exc}") from None
    return snapshot_from_bytes(data, source_name=str(source))


def snapshot_from_bytes(data: bytes, *, source_name: str = "<snapshot>") -> Snapshot:
    """Decode a snapshot from its file bytes; ``source_name`` is used in error messages."""
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ScreeningError(f"{source_name}: corrupt gzip data: {exc}") from None
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScreeningError(f"{source_name}: not a snapshot (invalid JSON: {exc})") from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise ScreeningError(f"{source_name}: not a sanctionsrules screening snapshot")
    version = document.get("format_version")
    if version != SNAPSHOT_FORMAT_VERSION:
        raise ScreeningError(
            f"{source_name}: snapshot format version {version!r} is not supported "
            f"(this version reads {SNAPSHOT_FORMAT_VERSION}); re-import the list"
        )
    try:
        raw = document["provenance"]
        provenance = Provenance(
            source_name=raw["source_name"],
            source_sha256=raw["source_sha256"],
            date_generated=raw["date_generated"],
            format_version=version,
            list_name=raw.get("list_name", Provenance.__dataclass_fields__["list_name"].default),
            importer=raw.get("importer", Provenance.__dataclass_fields__["importer"].default),
        )
        designations = tuple(_designation_from_json(d) for d in document["designations"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ScreeningError):
            raise
        raise ScreeningError(f"{source_name}: malformed snapshot ({type(exc).__name__}: {exc})") from None
    return Snapshot(provenance, designations)


@functools.lru_cache(maxsize=1)
def load_default_snapshot() -> Snapshot:
    """The UN consolidated list snapshot shipped with the package (2026-05-08), loaded once per process."""
    resource = resources.files(__package__).joinpath("data").joinpath(DEFAULT_SNAPSHOT)
    return snapshot_from_bytes(resource.read_bytes(), source_name=f"{__package__}/data/{DEFAULT_SNAPSHOT}")


def open_list(path: str | os.PathLike[str]) -> Snapshot:
    """Load either a UN consolidated-list XML file or a snapshot file, telling them apart by content."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ScreeningError(f"{source}: cannot read: {exc.strerror or exc}") from None
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return parse_un_xml(data, source_name=source.name)
    if head.startswith((_GZIP_MAGIC, b"{")):
        return snapshot_from_bytes(data, source_name=str(source))
    raise ScreeningError(f"{source}: neither UN consolidated-list XML nor a screening snapshot")


# -- JSON encoding --------------------------------------------------------------------------------


def _compact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Drop None and empty values: most fields are empty on most records."""
    return {k: v for k, v in fields.items() if v is not None and v != [] and v != ()}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _location_to_json(location: Location) -> dict[str, Any]:
    return _compact(
        {
            "street": location.street,
            "city": location.city,
            "state_province": location.state_province,
            "zip_code": location.zip_code,
            "country": location.country,
            "country_codes": list(location.country_codes),
            "note": location.note,
        }
    )


def _designation_to_json(d: Designation) -> dict[str, Any]:
    return _compact(
        {
            "reference": d.reference,
            "kind": d.kind.value,
            "regime": d.regime,
            "primary_name": d.primary_name,
            "dataid": d.dataid,
            "name_parts": list(d.name_parts) if d.name_parts != (d.primary_name,) else None,
            "original_script_name": d.original_script_name,
            "aliases": [
                _compact(
                    {
                        "name": a.name,
                        "quality": a.quality,
                        "note": a.note,
                        "date_of_birth": a.date_of_birth,
                        "city_of_birth": a.city_of_birth,
                        "country_of_birth": a.country_of_birth,
                    }
                )
                for a in d.aliases
            ],
            "titles": list(d.titles),
            "roles": list(d.roles),
            "gender": d.gender,
            "nationalities": list(d.nationalities),
            "nationality_codes": list(d.nationality_codes),
            "dates_of_birth": [
                _compact(
                    {
                        "kind": b.kind.value,
                        "date": _iso(b.date),
                        "year": b.year,
                        "from_year": b.from_year,
                        "to_year": b.to_year,
                        "note": b.note,
                    }
                )
                for b in d.dates_of_birth
            ],
            "places_of_birth": [_location_to_json(p) for p in d.places_of_birth],
            "addresses": [_location_to_json(a) for a in d.addresses],
            "identifiers": [
                _compact(
                    {
                        "type": i.type.value,
                        "number": i.number,
                        "type_text": i.type_text,
                        "type_detail": i.type_detail,
                        "country": i.country,
                        "country_code": i.country_code,
                        "issued_on": _iso(i.issued_on),
                        "issue_city": i.issue_city,
                        "expires_on": _iso(i.expires_on),
                        "note": i.note,
                    }
                )
                for i in d.identifiers
            ],
            "listed_on": _iso(d.listed_on),
            "last_updated": [u.isoformat() for u in d.last_updated],
            "comments": d.comments,
            "interpol_link": d.interpol_link,
        }
    )


# -- JSON decoding --------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _objects(raw: Mapping[str, Any], key: str, build: Callable[[Mapping[str, Any]], Any]) -> tuple[Any, ...]:
    return tuple(build(item) for item in raw.get(key, ()))


def _location_from_json(raw: Mapping[str, Any]) -> Location:
    return Location(
        street=raw.get("street"),
        city=raw.get("city"),
        state_province=raw.get("state_province"),
        zip_code=raw.get("zip_code"),
        country=raw.get("country"),
        country_codes=_strings(raw.get("country_codes", [])),
        note=raw.get("note"),
    )


def _alias_from_json(raw: Mapping[str, Any]) -> Alias:
    return Alias(
        name=raw["name"],
        quality=raw.get("quality"),
        note=raw.get("note"),
        date_of_birth=raw.get("date_of_birth"),
        city_of_birth=raw.get("city_of_birth"),
        country_of_birth=raw.get("country_of_birth"),
    )


def _dob_from_json(raw: Mapping[str, Any]) -> DateOfBirth:
    return DateOfBirth(
        kind=DobKind(raw["kind"]),
        date=_date(raw.get("date")),
        year=raw.get("year"),
        from_year=raw.get("from_year"),
        to_year=raw.get("to_year"),
        note=raw.get("note"),
    )


def _identifier_from_json(raw: Mapping[str, Any]) -> Identifier:
    return Identifier(
        type=IdentifierType(raw["type"]),
        number=raw.get("number"),
        type_text=raw.get("type_text"),
        type_detail=raw.get("type_detail"),
        country=raw.get("country"),
        country_code=raw.get("country_code"),
        issued_on=_date(raw.get("issued_on")),
        issue_city=raw.get("issue_city"),
        expires_on=_date(raw.get("expires_on")),
        note=raw.get("note"),
    )


def _designation_from_json(raw: Mapping[str, Any]) -> Designation:
    primary = raw["primary_name"]
    return Designation(
        reference=raw["reference"],
        kind=RecordKind(raw["kind"]),
        regime=raw["regime"],
        primary_name=primary,
        dataid=raw.get("dataid"),
        name_parts=_strings(raw["name_parts"]) if "name_parts" in raw else (primary,),
        original_script_name=raw.get("original_script_name"),
        aliases=_objects(raw, "aliases", _alias_from_json),
        titles=_strings(raw.get("titles", [])),
        roles=_strings(raw.get("roles", [])),
        gender=raw.get("gender"),
        nationalities=_strings(raw.get("nationalities", [])),
        nationality_codes=_strings(raw.get("nationality_codes", [])),
        dates_of_birth=_objects(raw, "dates_of_birth", _dob_from_json),
        places_of_birth=_objects(raw, "places_of_birth", _location_from_json),
        addresses=_objects(raw, "addresses", _location_from_json),
        identifiers=_objects(raw, "identifiers", _identifier_from_json),
        listed_on=_date(raw.get("listed_on")),
        last_updated=tuple(dt.date.fromisoformat(u) for u in raw.get("last_updated", ())),
        comments=raw.get("comments"),
        interpol_link=raw.get("interpol_link"),
    )

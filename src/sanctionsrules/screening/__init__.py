"""Designated-party screening against the UN Security Council Consolidated List.

Import the UN XML into an immutable, versioned snapshot, compare snapshots, and screen party names (with
country, kind, date of birth and identifiers) through an indexed, cached matcher that explains every match::

    from sanctionsrules.screening import Screener, load_default_snapshot

    screener = Screener(load_default_snapshot())
    for match in screener.screen("Korea Mining Development Trading Corp", country="KP"):
        print(match.band, match.score, match.reference, match.reasons)
"""

from __future__ import annotations

from .countries import country_codes, resolve_country
from .diff import DesignationChange, FieldChange, SnapshotDiff, diff_snapshots
from .errors import ScreeningError
from .matcher import Band, ScoreBands, Screener, ScreeningMatch
from .normalise import NormalisedName, normalise_name
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
from .snapshot import load_default_snapshot, open_list, read_snapshot, write_snapshot
from .un_xml import SNAPSHOT_FORMAT_VERSION, import_un_xml, parse_un_xml

__all__ = [
    "SNAPSHOT_FORMAT_VERSION",
    "Alias",
    "Band",
    "DateOfBirth",
    "Designation",
    "DesignationChange",
    "DobKind",
    "FieldChange",
    "Identifier",
    "IdentifierType",
    "Location",
    "NormalisedName",
    "Provenance",
    "RecordKind",
    "ScoreBands",
    "Screener",
    "ScreeningError",
    "ScreeningMatch",
    "Snapshot",
    "SnapshotDiff",
    "country_codes",
    "diff_snapshots",
    "import_un_xml",
    "load_default_snapshot",
    "normalise_name",
    "open_list",
    "parse_un_xml",
    "read_snapshot",
    "resolve_country",
    "write_snapshot",
]

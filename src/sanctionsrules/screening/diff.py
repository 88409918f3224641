"""Compare two snapshots: designations added, removed, and changed in substance.

Records are keyed by their stripped reference number. "Substance" is what identifies a party or the measure:
names, aliases, original-script name, titles, roles, gender, nationalities, dates and places of birth,
addresses, identifiers, regime, kind, listing date, and the comments with their INTERPOL notice link cut
out. The link goes because the UN rewrote it inside entity COMMENTS1 in 2026 ("...View-UN-Notices-
Individuals" became "...-Entities") with no change to any designation; the rest of the comments stays,
because that is where the UN writes things like "Reportedly deceased as of 22 September 2018" (TAi.164,
whose only 2026 change it is). Deliberately not compared:

* the INTERPOL link fields, ``LAST_DAY_UPDATED``, ``DATAID``/``VERSIONNUM`` and sort keys: bookkeeping, and
  VERSIONNUM is 1 on every record anyway;
* the order of aliases, addresses and documents.

Document notes *are* substance. So KPi.043, whose note "Expiration date: 2023-06-04." became a structured
DATE_OF_EXPIRY in 2026, is reported as changed (note removed, expiry added): the information is equivalent,
but the published record was amended, and an amended DPRK record is exactly what a reviewer wants to see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .records import Alias, DateOfBirth, Designation, Identifier, Location, Provenance, Snapshot

__all__ = ["DesignationChange", "FieldChange", "SnapshotDiff", "diff_snapshots"]

# "INTERPOL-UN Security Council Special Notice web link:https://www.interpol.int/..." and bare interpol URLs.
_INTERPOL_LINK = re.compile(
    r"(?:INTERPOL-UN Security Council Special Notice web link:?\s*)?https?://\S*interpol\.int\S*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed field of one designation: what was there only before, and what is there only now."""

    field: str
    removed: tuple[str, ...]
    added: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {"field": self.field, "removed": list(self.removed), "added": list(self.added)}


@dataclass(frozen=True, slots=True)
class DesignationChange:
    """A designation present in both snapshots whose substance differs."""

    reference: str
    old: Designation
    new: Designation
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """The differences between two snapshots, each part sorted by reference number."""

    old: Provenance
    new: Provenance
    added: tuple[Designation, ...]
    removed: tuple[Designation, ...]
    changed: tuple[DesignationChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing was added, removed or changed."""
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary (designations by reference, name, regime and listing date)."""

        def brief(d: Designation) -> dict[str, object]:
            return {
                "reference": d.reference,
                "name": d.primary_name,
                "regime": d.regime,
                "kind": d.kind.value,
                "listed_on": d.listed_on.isoformat() if d.listed_on else None,
            }

        return {
            "old": {"source_name": self.old.source_name, "date_generated": self.old.date_generated},
            "new": {"source_name": self.new.source_name, "date_generated": self.new.date_generated},
            "added": [brief(d) for d in self.added],
            "removed": [brief(d) for d in self.removed],
            "changed": [{**brief(c.new), "fields": [f.to_dict() for f in c.fields]} for c in self.changed],
        }


def diff_snapshots(old: Snapshot, new: Snapshot, *, regimes: Collection[str] | None = None) -> SnapshotDiff:
    """Designations added, removed and changed in substance from ``old`` to ``new``.

    ``regimes`` (UN_LIST_TYPE values such as ``"DPRK"``) restricts the comparison to those regimes.
    """
    wanted = None if regimes is None else frozenset(regimes)

    def keep(d: Designation) -> bool:
        return wanted is None or d.regime in wanted

    before = {d.reference: d for d in old.designations if keep(d)}
    after = {d.reference: d for d in new.designations if keep(d)}
    changed: list[DesignationChange] = []
    for reference in sorted(before.keys() & after.keys()):
        fields = _compare(before[reference], after[reference])
        if fields:
            changed.append(DesignationChange(reference, before[reference], after[reference], fields))
    return SnapshotDiff(
        old=old.provenance,
        new=new.provenance,
        added=tuple(after[r] for r in sorted(after.keys() - before.keys())),
        removed=tuple(before[r] for r in sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )


def _compare(old: Designation, new: Designation) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    for label, project in _SUBSTANCE:
        before, after = project(old), project(new)
        if before != after:
            changes.append(FieldChange(label, tuple(sorted(before - after)), tuple(sorted(after - before))))
    return tuple(changes)


def _comments(designation: Designation) -> frozenset[str]:
    text = _INTERPOL_LINK.sub(" ", designation.comments or "")
    return _one(" ".join(text.split()))


def _one(value: object) -> frozenset[str]:
    return frozenset() if value is None or value == "" else frozenset({str(value)})


def _many(values: Iterable[Any], describe: Callable[[Any], str]) -> frozenset[str]:
    return frozenset(describe(v) for v in values)


def _describe_alias(alias: Alias) -> str:
    extras = [
        f"{label} {value}"
        for label, value in (
            ("note", alias.note),
            ("born", alias.date_of_birth),
            ("in", alias.city_of_birth),
            ("country", alias.country_of_birth),
        )
        if value
    ]
    quality = f" ({alias.quality})" if alias.quality else ""
    return f"{alias.name}{quality}" + (f" [{'; '.join(extras)}]" if extras else "")


def _describe_dob(dob: DateOfBirth) -> str:
    if dob.date is not None:
        text = dob.date.isoformat()
    elif dob.year is not None:
        text = str(dob.year)
    elif dob.from_year is not None or dob.to_year is not None:
        text = f"{dob.from_year or '?'}-{dob.to_year or '?'}"
    else:
        text = "no date"
    text = f"{dob.kind.value} {text}"
    return f"{text} [note {dob.note}]" if dob.note else text


def _describe_location(location: Location) -> str:
    parts = [location.street, location.city, location.state_province, location.zip_code, location.country]
    text = ", ".join(p for p in parts if p) or "no details"
    return f"{text} [note {location.note}]" if location.note else text


def _describe_identifier(identifier: Identifier) -> str:
    details = [
        f"{label} {value.isoformat() if isinstance(value, dt.date) else value}"
        for label, value in (
            ("type", identifier.type_text),
            ("detail", identifier.type_detail),
            ("country", identifier.country),
            ("issued", identifier.issued_on),
            ("in", identifier.issue_city),
            ("expires", identifier.expires_on),
            ("note", identifier.note),
        )
        if value
    ]
    head = f"{identifier.type.value.replace('_', ' ')} {identifier.number or '(no number)'}"
    return f"{head} [{'; '.join(details)}]" if details else head


_SUBSTANCE: tuple[tuple[str, Callable[[Designation], frozenset[str]]], ...] = (
    ("kind", lambda d: _one(d.kind.value)),
    ("regime", lambda d: _one(d.regime)),
    ("name", lambda d: _one(d.primary_name)),
    ("original-script name", lambda d: _one(d.original_script_name)),
    ("aliases", lambda d: _many(d.aliases, _describe_alias)),
    ("titles", lambda d: frozenset(d.titles)),
    ("roles", lambda d: frozenset(d.roles)),
    ("gender", lambda d: _one(d.gender)),
    ("nationalities", lambda d: frozenset(d.nationalities)),
    ("dates of birth", lambda d: _many(d.dates_of_birth, _describe_dob)),
    ("places of birth", lambda d: _many(d.places_of_birth, _describe_location)),
    ("addresses", lambda d: _many(d.addresses, _describe_location)),
    ("identifiers", lambda d: _many(d.identifiers, _describe_identifier)),
    ("listed on", lambda d: _one(d.listed_on.isoformat() if d.listed_on else None)),
    ("comments", _comments),
)

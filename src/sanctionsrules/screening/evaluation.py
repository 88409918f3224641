"""A labelled evaluation set built from the real lists, precision/recall per band, and the OFAC cross-check.

Nothing here is hand-picked. Positives are every published name and alias of every record of the regime
under test, plus variants generated from each by fixed rules: case change, hyphens removed or joined, surname
moved to the end, a romanisation rewrite, and a one-letter typo. The romanisation rewrite uses its own small
rule list (written independently of :mod:`.romanisation`) so that the evaluation does not merely replay the
matcher's table. Negatives are (a) every name and alias of every *other* regime's record, screened with
``country="KP"`` and no kind so that no adjustment can hide a false hit, and (b) a deterministic sample of
common Korean full names (surname + two given-name syllables) that are not, after normalisation, the name of
any designated person.

A hit counts as correct when it is the labelled record, or when the hit record carries a name equal to the
query after normalisation (a genuine namesake that any screener must report). Hits on records of other
regimes are outside the evaluation and are ignored.
"""

from __future__ import annotations

import csv
import io
import random
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .matcher import Band, Screener
from .normalise import NormalisedName, name_variants, normalise_name
from .records import Designation, RecordKind, Snapshot
from .romanisation import segment

__all__ = [
    "BandScore",
    "CrossCheck",
    "Evaluation",
    "OfacName",
    "Probe",
    "evaluate",
    "negative_probes",
    "ofac_cross_check",
    "ofac_dprk_names",
    "positive_probes",
    "time_screening",
]

_SEED = 20260508

# Romanisation rewrites for the evaluation (MR as on the UN list -> RR or customary spellings), applied to
# one word at a time, first matching rule only.
_REWRITES: tuple[tuple[str, str], ...] = (
    (r"^ri$", "lee"),
    (r"^pak$", "park"),
    (r"^choe$", "choi"),
    (r"^yong$", "young"),
    (r"^un$", "eun"),
    (r"^chol$", "cheol"),
    (r"^hyok$", "hyeok"),
    (r"^(h|m|p|k|s|y)yo", r"\1yeo"),
    (r"^ch(?=[aeiouy])", "j"),
    (r"^k(?=[aeiouyw])", "g"),
    (r"^p(?=[aeiouy])", "b"),
    (r"^t(?=[aeiouy])", "d"),
    (r"^(j|s|h|y)o(ng|n|k|l)$", r"\1eo\2"),
)

# Common Korean surnames and given-name syllables, in mixed romanisations as found in passports.
_SURNAMES = (
    "Kim", "Lee", "Ri", "Park", "Pak", "Choi", "Choe", "Jung", "Jong", "Kang", "Cho", "Yoon", "Jang", "Lim",
    "Han", "Oh", "Seo", "Shin", "Kwon", "Hwang", "Ahn", "Song", "Ryu", "Jeon", "Hong", "Ko", "Mun", "Yang",
    "Son", "Bae", "Baek", "Heo", "Nam", "Sim", "Noh", "Ha", "Kwak", "Sung", "Cha", "Joo", "Woo", "Min", "Na",
)  # fmt: skip
_GIVEN = (
    "min", "seo", "ji", "hyun", "woo", "jun", "young", "su", "jin", "hye", "eun", "ho", "seung", "hee",
    "jae", "kyung", "dong", "sang", "yeon", "won", "mi", "ha", "hwa", "ok", "sun", "chul", "il", "nam",
    "gil", "myung", "kwang", "chol", "hyok", "song", "yong", "bong", "gook", "tae", "hoon", "ja", "hun",
    "jeong", "sik", "man",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Probe:
    """One labelled query: ``target`` is the reference it must hit, or None for a negative."""

    query: str
    target: str | None
    variant: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class BandScore:
    """Counts and rates at one band (a hit at ``strong`` also counts at ``possible``)."""

    band: Band
    positives: int
    found: int
    correct_hits: int
    wrong_hits: int
    negatives: int
    negatives_hit: int

    @property
    def recall(self) -> float:
        """Share of positive probes whose labelled record was returned at this band or better."""
        return self.found / self.positives if self.positives else 1.0

    @property
    def precision(self) -> float:
        """Share of returned hits (on records of the regime under test) that are correct."""
        total = self.correct_hits + self.wrong_hits
        return self.correct_hits / total if total else 1.0

    @property
    def negative_hit_rate(self) -> float:
        """Share of negative probes that hit any record of the regime under test."""
        return self.negatives_hit / self.negatives if self.negatives else 0.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of :func:`evaluate`: one :class:`BandScore` per band, recall per variant, the misses."""

    bands: tuple[BandScore, ...]
    recall_by_variant: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    misses: tuple[Probe, ...] = ()
    false_hits: tuple[tuple[Probe, str], ...] = ()

    def at(self, band: Band) -> BandScore:
        """The scores at ``band``."""
        return next(b for b in self.bands if b.band is band)


def positive_probes(snapshot: Snapshot, regime: str = "DPRK") -> list[Probe]:
    """Every name and alias of every record of ``regime``, plus generated spelling variants of each."""
    probes: list[Probe] = []
    for record in _records(snapshot, regime):
        names = [record.primary_name, *(a.name for a in record.aliases)]
        for name in dict.fromkeys(names):
            seen: set[str] = set()
            for variant, query in _variants(name, record.kind):
                if query not in seen and normalise_name(query).compact:
                    seen.add(query)
                    probes.append(Probe(query, record.reference, variant))
    return probes


def negative_probes(snapshot: Snapshot, regime: str = "DPRK", *, korean_sample: int = 3000) -> list[Probe]:
    """Names of other regimes' records and common non-designated Korean names, all with country KP."""
    probes: list[Probe] = []
    for record in snapshot.designations:
        if record.regime == regime:
            continue
        for name in dict.fromkeys([record.primary_name, *(a.name for a in record.aliases)]):
            probes.append(Probe(name, None, "other regime", country="KP"))
    designated = {
        normalise_name(name).compact
        for record in _records(snapshot, regime)
        for name in (record.primary_name, *(a.name for a in record.aliases))
    }
    combos = [f"{s} {a} {b}" for s in _SURNAMES for a in _GIVEN for b in _GIVEN if a != b]
    random.Random(_SEED).shuffle(combos)
    taken = 0
    for name in combos:
        if taken >= korean_sample:
            break
        if normalise_name(name).compact in designated:
            continue
        probes.append(Probe(name, None, "common Korean name", country="KP"))
        taken += 1
    return probes


def evaluate(screener: Screener, probes: Iterable[Probe], regime: str = "DPRK") -> Evaluation:
    """Screen every probe and score the hits on records of ``regime`` per band."""
    namesakes = _namesake_keys(screener.snapshot, regime)
    bands = (Band.STRONG, Band.POSSIBLE)
    found = dict.fromkeys(bands, 0)
    correct = dict.fromkeys(bands, 0)
    wrong = dict.fromkeys(bands, 0)
    negatives_hit = dict.fromkeys(bands, 0)
    positives = negatives = 0
    by_variant: dict[str, list[int]] = {}
    misses: list[Probe] = []
    false_hits: list[tuple[Probe, str]] = []
    for probe in probes:
        matches = screener.screen(probe.query, country=probe.country)
        query = normalise_name(probe.query)
        relevant = [m for m in matches if m.reference in namesakes]
        if probe.target is None:
            negatives += 1
        else:
            positives += 1
            counts = by_variant.setdefault(probe.variant, [0, 0, 0])
            counts[0] += 1
        for band in bands:
            at_band = [m for m in relevant if m.band is Band.STRONG or band is Band.POSSIBLE]
            hit_target = probe.target is not None and any(m.reference == probe.target for m in at_band)
            bad = [m for m in at_band if m.reference != probe.target and not _namesake(query, m.reference, namesakes)]
            correct[band] += len(at_band) - len(bad)
            wrong[band] += len(bad)
            if probe.target is None and bad:
                negatives_hit[band] += 1
            if band is Band.STRONG:
                false_hits.extend((probe, m.reference) for m in bad)
            if hit_target:
                found[band] += 1
                by_variant[probe.variant][1 if band is Band.STRONG else 2] += 1
            elif band is Band.POSSIBLE and probe.target is not None:
                misses.append(probe)
    return Evaluation(
        bands=tuple(
            BandScore(b, positives, found[b], correct[b], wrong[b], negatives, negatives_hit[b]) for b in bands
        ),
        recall_by_variant={k: (v[0], v[1], v[2]) for k, v in sorted(by_variant.items())},
        misses=tuple(misses),
        false_hits=tuple(false_hits),
    )


def _namesake_keys(snapshot: Snapshot, regime: str) -> dict[str, frozenset[str]]:
    """Per record of ``regime``: compact keys of every name (derived names too) and organisation cores."""
    keys: dict[str, frozenset[str]] = {}
    for record in _records(snapshot, regime):
        names = [record.primary_name, *(a.name for a in record.aliases)]
        names += [variant for name in list(names) for variant, _how in name_variants(name)]
        found: set[str] = set()
        for name in names:
            norm = normalise_name(name)
            found.add(norm.compact)
            if record.kind is RecordKind.ORGANISATION and norm.core != norm.compact:
                found.add("core:" + norm.core)
        keys[record.reference] = frozenset(found)
    return keys


def _namesake(query: NormalisedName, reference: str, namesakes: dict[str, frozenset[str]]) -> bool:
    """Whether a hit is a legitimate report although not the labelled record.

    True when the record bears the query's name after normalisation (equal compact key, or for organisations
    equal distinctive words), or when the query names the record's reference number: the UN lists
    "SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)" as an alias of KPe.021.
    """
    keys = namesakes[reference]
    if query.compact in keys or ("core:" + query.core) in keys:
        return True
    return reference.lower().replace(".", "") in query.compact


def time_screening(screener: Screener, queries: Sequence[str], *, repeat: int = 1) -> list[float]:
    """Seconds per uncached ``screen`` call for each query (the result cache is cleared before each call)."""
    timings: list[float] = []
    for _ in range(repeat):
        for query in queries:
            screener.clear_cache()
            normalise_name.cache_clear()
            segment.cache_clear()
            start = time.perf_counter()
            screener.screen(query)
            timings.append(time.perf_counter() - start)
    return timings


# -- OFAC ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfacName:
    """A name of an OFAC SDN entry under a DPRK programme; ``as_published`` keeps OFAC's own form."""

    ent_num: str
    name: str
    as_published: str
    kind: RecordKind | None


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """UN records of the regime found from OFAC names, at the strong band and by exact normalised equality."""

    ofac_entries: int
    ofac_names: int
    un_records: int
    found_strong: frozenset[str]
    found_exact_punctuation: frozenset[str]


def _read_ofac_csv(path: Path) -> list[list[str | None]]:
    """OFAC's legacy CSV: CRLF lines, a Ctrl-Z byte at the end, and ``-0-`` (with a space) for null."""
    text = path.read_bytes().rstrip(b"\x1a\r\n").decode("utf-8")
    rows: list[list[str | None]] = []
    for row in csv.reader(io.StringIO(text, newline="")):
        rows.append([None if cell.strip() in ("-0-", "") else cell.strip() for cell in row])
    return rows


def ofac_dprk_names(directory: Path) -> tuple[int, list[OfacName]]:
    """Primary and alias names of every SDN entry with a DPRK programme (DPRK, DPRK2-4, DPRK-NKSPEA)."""
    kinds = {"individual": RecordKind.PERSON, "vessel": RecordKind.VESSEL, None: RecordKind.ORGANISATION}
    entries: dict[str, RecordKind | None] = {}
    names: list[OfacName] = []
    for row in _read_ofac_csv(directory / "sdn.csv"):
        ent_num, name, sdn_type, programs = row[0], row[1], row[2], row[3]
        if ent_num is None or name is None or programs is None:
            continue
        if not any(p.startswith("DPRK") for p in re.split(r"\]\s*\[", programs)):
            continue
        kind = kinds.get(sdn_type)  # aircraft: kind unknown
        entries[ent_num] = kind
        names.append(OfacName(ent_num, _ofac_reading(name, kind), name, kind))
    for row in _read_ofac_csv(directory / "alt.csv"):
        ent_num, alt_name = row[0], row[3]
        if ent_num in entries and alt_name is not None:
            kind = entries[ent_num]
            names.append(OfacName(ent_num, _ofac_reading(alt_name, kind), alt_name, kind))
    return len(entries), names


def _ofac_reading(name: str, kind: RecordKind | None) -> str:
    """OFAC writes individuals as "SURNAME, Given"; read them as "Given SURNAME"."""
    if kind is RecordKind.PERSON and name.count(",") == 1:
        surname, given = (part.strip() for part in name.split(","))
        return f"{given} {surname}"
    return name


def ofac_cross_check(screener: Screener, directory: Path, regime: str = "DPRK") -> CrossCheck:
    """Screen every OFAC DPRK name (with its kind) and count the UN records of ``regime`` found."""
    entry_count, names = ofac_dprk_names(directory)
    records = _records(screener.snapshot, regime)
    targets = {r.reference for r in records}
    found: set[str] = set()
    for name in names:
        for match in screener.screen(name.name, kind=name.kind):
            if match.band is Band.STRONG and match.reference in targets:
                found.add(match.reference)

    def plain(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", text.lower())

    published = {plain(n.as_published) for n in names}
    exact = {r.reference for r in records if plain(r.primary_name) in published}
    return CrossCheck(entry_count, len(names), len(records), frozenset(found), frozenset(exact))


# -- variants ------------------------------------------------------------------------------------------------


def _records(snapshot: Snapshot, regime: str) -> list[Designation]:
    return [d for d in snapshot.designations if d.regime == regime]


def _variants(name: str, kind: RecordKind) -> list[tuple[str, str]]:
    found = [("listed name", name), ("case", name.lower() if not name.islower() else name.upper())]
    if "-" in name:
        found.append(("hyphens to spaces", name.replace("-", " ")))
        found.append(("hyphens joined", name.replace("-", "")))
    words = name.split()
    if kind is RecordKind.PERSON and len(words) >= 2:
        found.append(("surname last", " ".join([*words[1:], words[0]])))
        rewritten = " ".join("-".join(_rewrite(p) for p in w.split("-")) for w in words)
        if rewritten.lower() != name.lower():
            found.append(("romanisation", rewritten))
    longest = max(words, key=len, default="")
    if len(longest) >= 5 and longest.isalpha():
        cut = len(longest) // 2
        position = words.index(longest)
        typo = [*words[:position], longest[:cut] + longest[cut + 1 :], *words[position + 1 :]]
        found.append(("typo", " ".join(typo)))
    return found


def _rewrite(word: str) -> str:
    lower = word.lower().replace("'", "").replace("\u2019", "")
    for pattern, replacement in _REWRITES:
        rewritten, count = re.subn(pattern, replacement, lower)
        if count:
            return rewritten.capitalize()
    return word

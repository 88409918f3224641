"""Screen a party against a snapshot: an identifier index, a blocked name index and explained, banded scores.

How a score is made (all numbers are points on rapidfuzz's 0-100 scale):

1. Identifiers first. A UN reference number, passport, national id or IMO number equal to one on a record
   (compared as upper-case letters and digits) is decisive: score 100, band ``strong``.
2. Names. The query and every listed name, alias, original-script name and derived name (acronym in
   parentheses, name without its parenthetical) are normalised (:mod:`.normalise`). Candidates come from an
   inverted index on canonical words, word parts, romanised syllables and 3-letter word prefixes; only they
   are scored, with ``rapidfuzz.fuzz.ratio`` over the compact keys (spacing and hyphenation ignored) and
   the best of:

   * the keys as written;
   * the query with its first word moved last or its last word moved first (surname order), no penalty;
   * the words sorted (any other word order), minus ``TOKEN_ORDER_PENALTY`` (5);
   * for organisations, the names without legal-form and generic words (corp, co, ltd, trading, of, ...),
     minus ``LEGAL_FORM_PENALTY`` (5).

3. Adjustments, which only ever lower a score (so :meth:`Screener.may_match` can be a sound prefilter):

   * two fully romanised Korean names that differ in whole syllables: ``SYLLABLE_PENALTY`` (10) per
     differing syllable, at most two ("Kim Yong Chol" vs "Kim Song Chol" is 90 on characters, 80 here);
   * two such names that match only with the words sorted: ``SYLLABLE_ORDER_PENALTY`` (10) more, since
     "Jang Hyon U" and "Jang U Hyon" are different given names;
   * organisation names: the score is capped at the similarity of their distinctive words (the names
     without legal-form and generic words) plus ``CORE_MARGIN`` (5), so "Hesong Trading Company" is not
     strong for "Daesong Trading Company" just because "trading company" agrees;
   * alias of ``Low`` quality: ``LOW_QUALITY_PENALTY`` (5);
   * country given and none of the record's countries (nationality, addresses, birth places, document
     issuers) agree: ``COUNTRY_PENALTY`` (10); a record without any country is not penalised;
   * date of birth given and no listed date of birth allows it: ``DOB_PENALTY`` (15); same year but a
     different day from an exact listed date: ``DOB_DAY_PENALTY`` (5); no listed date: no change;
   * kind given and different: person vs organisation or vessel ``KIND_PENALTY`` (15), vessel vs
     organisation ``VESSEL_ORGANISATION_PENALTY`` (5) since shipping companies and their ships share names.

The final score falls in band ``strong`` (default >= 90) or ``possible`` (default >= 75); lower scores are not
returned. With the defaults, an exact name with one disagreeing country is still strong (90), an exact name
with a different date of birth is possible (85).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from .countries import resolve_country
from .errors import ScreeningError
from .normalise import NormalisedName, identifier_key, is_un_reference, name_variants, normalise_name
from .records import ALIAS_QUALITY_LOW, DateOfBirth, Designation, IdentifierType, RecordKind, Snapshot

__all__ = [
    "CORE_MARGIN",
    "COUNTRY_PENALTY",
    "DOB_DAY_PENALTY",
    "DOB_PENALTY",
    "KIND_PENALTY",
    "LEGAL_FORM_PENALTY",
    "LOW_QUALITY_PENALTY",
    "SYLLABLE_ORDER_PENALTY",
    "SYLLABLE_PENALTY",
    "TOKEN_ORDER_PENALTY",
    "VESSEL_ORGANISATION_PENALTY",
    "Band",
    "ScoreBands",
    "Screener",
    "ScreeningMatch",
]

COUNTRY_PENALTY = 10.0
DOB_PENALTY = 15.0
DOB_DAY_PENALTY = 5.0
KIND_PENALTY = 15.0
VESSEL_ORGANISATION_PENALTY = 5.0
LOW_QUALITY_PENALTY = 5.0
TOKEN_ORDER_PENALTY = 5.0
LEGAL_FORM_PENALTY = 5.0
SYLLABLE_PENALTY = 10.0
SYLLABLE_ORDER_PENALTY = 10.0
CORE_MARGIN = 5.0

# Shortest identifier treated as decisive: shorter numbers collide by chance across countries and lists.
_MIN_IDENTIFIER_LENGTH = 5
# A blocking key shared by more names than this carries little information ("al", "abd", "i"); it is only used
# when the query has no rarer key.
_STOP_KEY_POSTINGS = 250
# Shortest organisation core compared on its own: "a co" must not reduce to "a".
_MIN_CORE_LENGTH = 4


class Band(StrEnum):
    """How strongly a match should be acted on."""

    STRONG = "strong"
    POSSIBLE = "possible"


@dataclass(frozen=True, slots=True)
class ScoreBands:
    """Score thresholds: ``strong`` and ``possible`` are the lowest scores in each band (0-100)."""

    strong: float = 90.0
    possible: float = 75.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.possible <= self.strong <= 100.0:
            raise ScreeningError(
                f"score bands must satisfy 0 <= possible <= strong <= 100, got possible={self.possible}, "
                f"strong={self.strong}"
            )

    def band(self, score: float) -> Band | None:
        """The band a score falls in, or None below ``possible``."""
        if score >= self.strong:
            return Band.STRONG
        if score >= self.possible:
            return Band.POSSIBLE
        return None


@dataclass(frozen=True, slots=True)
class ScreeningMatch:
    """One designation that matched, with the evidence: which name, how well, and why."""

    reference: str
    primary_name: str
    kind: RecordKind
    regime: str
    matched_name: str
    matched_via: str
    alias_quality: str | None
    score: float
    band: Band
    reasons: tuple[str, ...]
    listed_on: dt.date | None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (dates as ISO strings)."""
        return {
            "reference": self.reference,
            "primary_name": self.primary_name,
            "kind": self.kind.value,
            "regime": self.regime,
            "matched_name": self.matched_name,
            "matched_via": self.matched_via,
            "alias_quality": self.alias_quality,
            "score": self.score,
            "band": self.band.value,
            "reasons": list(self.reasons),
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
        }


@dataclass(frozen=True, slots=True)
class _Entry:
    """One indexed name of one record."""

    record: int
    text: str
    via: str
    quality: str | None
    norm: NormalisedName


@dataclass(frozen=True, slots=True)
class _IdentifierEntry:
    record: int
    description: str


@dataclass(frozen=True, slots=True)
class _Query:
    """Everything a screening result depends on; hashable, so it is the LRU cache key."""

    norm: NormalisedName | None
    country: str | None
    kind: RecordKind | None
    date_of_birth: dt.date | int | None
    identifiers: tuple[str, ...]
    as_of: dt.date | None
    limit: int


_FORM_AS_WRITTEN = "as written"
_FORM_ROTATED = "rotated"
_FORM_SORTED = "sorted"
_FORM_CORE = "core"


class Screener:
    """Screens party names against one snapshot. Build once per snapshot; it is safe to share between threads.

    ``bands`` sets the score thresholds; ``cache_size`` bounds the LRU cache of results, keyed on the
    normalised query (so "KIM JONG UN" and "kim jong-un" share an entry) and every other argument.
    """

    def __init__(self, snapshot: Snapshot, *, bands: ScoreBands | None = None, cache_size: int = 8192) -> None:
        self.snapshot = snapshot
        self.bands = bands or ScoreBands()
        self._records: tuple[Designation, ...] = snapshot.designations
        self._countries = tuple(r.country_codes() for r in self._records)
        self._entries: list[_Entry] = []
        self._postings: dict[str, list[int]] = {}
        self._identifiers: dict[str, list[_IdentifierEntry]] = {}
        for index, record in enumerate(self._records):
            self._index_record(index, record)
        self._compact = [e.norm.compact for e in self._entries]
        self._sorted = [e.norm.sorted_form for e in self._entries]
        self._core = [
            e.norm.core
            if self._records[e.record].kind is RecordKind.ORGANISATION and len(e.norm.core) >= _MIN_CORE_LENGTH
            else ""
            for e in self._entries
        ]
        self._core_sorted = [self._entries[i].norm.core_sorted if core else "" for i, core in enumerate(self._core)]
        self._screen_cached = functools.lru_cache(maxsize=cache_size)(self._screen)
        self._may_match_cached = functools.lru_cache(maxsize=cache_size)(self._may_match)

    # -- building -------------------------------------------------------------------------------------------

    def _index_record(self, index: int, record: Designation) -> None:
        names: list[tuple[str, str, str | None]] = [(record.primary_name, "primary name", None)]
        names += [(a.name, "alias", a.quality) for a in record.aliases]
        if record.original_script_name:
            names.append((record.original_script_name, "original-script name", None))
        derived: list[tuple[str, str, str | None]] = []
        for text, via, quality in names:
            for variant, _how in name_variants(text):
                derived.append((variant, f"{via} (from {text!r})", quality))
        seen: set[tuple[str, ...]] = set()
        for text, via, quality in names + derived:
            norm = normalise_name(text)
            if not norm.compact or norm.words in seen:
                continue
            seen.add(norm.words)
            entry_id = len(self._entries)
            self._entries.append(_Entry(index, text, via, quality, norm))
            for key in _blocking_keys(norm):
                self._postings.setdefault(key, []).append(entry_id)
        self._add_identifier(record.reference, index, f"UN reference number {record.reference}")
        for identifier in record.identifiers:
            if identifier.number is None:
                continue
            label = "IMO number" if identifier.type is IdentifierType.IMO else identifier.type.value.replace("_", " ")
            description = f"{label} {identifier.number}"
            key = identifier_key(identifier.number)
            self._add_identifier(key, index, description)
            # "PS 472330208" is often written without its letter prefix; the digits alone still identify it.
            digits = key.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            if digits != key and digits.isdigit() and len(digits) >= 6:
                self._add_identifier(digits, index, f"{description} (without its letter prefix)")

    def _add_identifier(self, number: str, record: int, description: str) -> None:
        key = identifier_key(number)
        if len(key) < _MIN_IDENTIFIER_LENGTH:
            return
        bucket = self._identifiers.setdefault(key, [])
        if all(e.record != record for e in bucket):
            bucket.append(_IdentifierEntry(record, description))

    @property
    def name_count(self) -> int:
        """How many distinct normalised names are indexed."""
        return len(self._entries)

    # -- public API -----------------------------------------------------------------------------------------

    def screen(
        self,
        name: str,
        *,
        country: str | None = None,
        kind: RecordKind | str | None = None,
        date_of_birth: dt.date | int | None = None,
        identifiers: Iterable[str] = (),
        as_of: dt.date | None = None,
        limit: int = 5,
    ) -> list[ScreeningMatch]:
        """Designations matching a party, best first, at most ``limit``; empty when none reaches ``possible``.

        ``country`` is an ISO code or an English/UN country name; ``kind`` is ``person``, ``organisation`` or
        ``vessel``; ``date_of_birth`` is a date or a year; ``identifiers`` are passport, national id, IMO or
        UN reference numbers. With ``as_of``, designations listed after that date are ignored. A name that is
        itself a UN reference number ("KPe.001") is looked up as one.
        Raises ScreeningError for an empty query, an unknown country or kind, or a non-positive limit.
        """
        query = self._query(name, country, kind, date_of_birth, identifiers, as_of, limit)
        return list(self._screen_cached(query))

    def may_match(self, name: str) -> bool:
        """Cheap prefilter: False means ``screen(name)`` certainly returns nothing, whatever other arguments.

        It runs only the blocking and the name scoring, without adjustments or explanations; adjustments
        only ever lower scores, so a name below ``possible`` here stays below it. (Identifiers can still
        match when given to :meth:`screen`.)
        """
        norm = normalise_name(name)
        return bool(norm.compact) and self._may_match_cached(norm)

    def cache_info(self) -> functools._CacheInfo:
        """Hit and miss counts of the screening result cache."""
        return self._screen_cached.cache_info()

    def clear_cache(self) -> None:
        """Empty the result caches (the snapshot is immutable, so this is only needed to measure)."""
        self._screen_cached.cache_clear()
        self._may_match_cached.cache_clear()

    # -- screening ------------------------------------------------------------------------------------------

    def _query(
        self,
        name: str,
        country: str | None,
        kind: RecordKind | str | None,
        date_of_birth: dt.date | int | None,
        identifiers: Iterable[str],
        as_of: dt.date | None,
        limit: int,
    ) -> _Query:
        if limit < 1:
            raise ScreeningError(f"limit must be at least 1, got {limit}")
        ids = [i for i in identifiers if i.strip()]
        if is_un_reference(name):
            ids.append(name)
        norm = normalise_name(name)
        if not norm.compact and not ids:
            raise ScreeningError(f"nothing to screen: the name {name!r} has no letters or digits")
        if kind is not None and not isinstance(kind, RecordKind):
            try:
                kind = RecordKind(str(kind).lower())
            except ValueError:
                allowed = ", ".join(k.value for k in RecordKind)
                raise ScreeningError(f"unknown kind {kind!r}: expected one of {allowed}") from None
        if isinstance(date_of_birth, dt.datetime):
            date_of_birth = date_of_birth.date()
        return _Query(
            norm=norm if norm.compact else None,
            country=resolve_country(country) if country else None,
            kind=kind,
            date_of_birth=date_of_birth,
            identifiers=tuple(sorted({identifier_key(i) for i in ids})),
            as_of=as_of,
            limit=limit,
        )

    def _name_scores(self, norm: NormalisedName, floor: float) -> dict[int, list[tuple[float, str]]]:
        """(score, form) pairs per candidate entry at or above ``floor``, after the form's own penalty."""
        candidates = self._candidates(norm)
        if not candidates:
            return {}
        found: dict[int, list[tuple[float, str]]] = {}

        def collect(query: str, table: list[str], form: str, penalty: float) -> None:
            if not query:
                return
            choices = [table[c] for c in candidates]
            cutoff = min(100.0, floor + penalty)
            for _choice, score, position in process.extract(
                query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                found.setdefault(candidates[position], []).append((score - penalty, form))

        collect(norm.compact, self._compact, _FORM_AS_WRITTEN, 0.0)
        for rotated in norm.rotations:
            collect(rotated, self._compact, _FORM_ROTATED, 0.0)
        if len(norm.tokens) > 1:
            collect(norm.sorted_form, self._sorted, _FORM_SORTED, TOKEN_ORDER_PENALTY)
        if len(norm.core) >= _MIN_CORE_LENGTH:
            collect(norm.core, self._core, _FORM_CORE, LEGAL_FORM_PENALTY)
        return found

    def _candidates(self, norm: NormalisedName) -> list[int]:
        postings = self._postings
        lists = [hits for hits in map(postings.get, _blocking_keys(norm)) if hits]
        rare = [hits for hits in lists if len(hits) <= _STOP_KEY_POSTINGS]
        found: set[int] = set()
        for hits in rare or lists:
            found.update(hits)
        return sorted(found)

    def _may_match(self, norm: NormalisedName) -> bool:
        floor = self.bands.possible + LOW_QUALITY_PENALTY
        scores = self._name_scores(norm, self.bands.possible)
        return any(
            score >= (floor if self._entries[e].quality == ALIAS_QUALITY_LOW else self.bands.possible)
            for e, forms in scores.items()
            for score, _form in forms
        )

    def _screen(self, query: _Query) -> tuple[ScreeningMatch, ...]:
        matches: dict[int, ScreeningMatch] = {}
        for record, description in self._identifier_hits(query):
            if self._excluded(record, query):
                continue
            reasons = [f"{description} matched (decisive)"]
            reasons += self._context_reasons(record, query)[1]
            rec = self._records[record]
            matches[record] = ScreeningMatch(
                reference=rec.reference,
                primary_name=rec.primary_name,
                kind=rec.kind,
                regime=rec.regime,
                matched_name=description,
                matched_via="identifier",
                alias_quality=None,
                score=100.0,
                band=Band.STRONG,
                reasons=tuple(reasons),
                listed_on=rec.listed_on,
            )
        if query.norm is not None:
            for record_index, match in self._name_matches(query.norm, query):
                matches.setdefault(record_index, match)
        ordered = sorted(matches.values(), key=lambda m: (-m.score, m.reference))
        return tuple(ordered[: query.limit])

    def _identifier_hits(self, query: _Query) -> list[tuple[int, str]]:
        hits: list[tuple[int, str]] = []
        for key in query.identifiers:
            for entry in self._identifiers.get(key, ()):
                hits.append((entry.record, entry.description))
        return hits

    def _excluded(self, record: int, query: _Query) -> bool:
        listed_on = self._records[record].listed_on
        return query.as_of is not None and listed_on is not None and listed_on > query.as_of

    def _name_matches(self, norm: NormalisedName, query: _Query) -> list[tuple[int, ScreeningMatch]]:
        possible = self.bands.possible
        best_per_record: dict[int, tuple[float, int, str, float]] = {}
        for entry_id, forms in self._name_scores(norm, possible).items():
            entry = self._entries[entry_id]
            if self._excluded(entry.record, query):
                continue
            cap = _core_cap(norm, self._core[entry_id], self._core_sorted[entry_id])[0]
            for form_score, form in forms:
                score = min(form_score, cap) - _syllable_penalty(norm, entry.norm, form)[0]
                if entry.quality == ALIAS_QUALITY_LOW:
                    score -= LOW_QUALITY_PENALTY
                if score < possible:
                    continue
                current = best_per_record.get(entry.record)
                # Ties prefer the primary name, then the earlier-listed alias: the most recognisable evidence.
                if current is None or score > current[0] or (score == current[0] and entry_id < current[1]):
                    best_per_record[entry.record] = (score, entry_id, form, form_score)
        matches: list[tuple[int, ScreeningMatch]] = []
        for record_index, (name_score, entry_id, form, form_score) in best_per_record.items():
            penalty, context = self._context_reasons(record_index, query)
            score = round(max(0.0, name_score - penalty), 1)
            band = self.bands.band(score)
            if band is None:
                continue
            entry = self._entries[entry_id]
            record = self._records[record_index]
            cores = (self._core[entry_id], self._core_sorted[entry_id])
            reasons = _name_reasons(norm, entry, cores, form, form_score) + context
            match = ScreeningMatch(
                reference=record.reference,
                primary_name=record.primary_name,
                kind=record.kind,
                regime=record.regime,
                matched_name=entry.text,
                matched_via=entry.via,
                alias_quality=entry.quality,
                score=score,
                band=band,
                reasons=tuple(reasons),
                listed_on=record.listed_on,
            )
            matches.append((record_index, match))
        return matches

    def _context_reasons(self, record_index: int, query: _Query) -> tuple[float, list[str]]:
        """Penalty points and reasons from country, date of birth and kind."""
        record = self._records[record_index]
        penalty = 0.0
        reasons: list[str] = []
        if query.country is not None:
            countries = self._countries[record_index]
            if not countries:
                reasons.append(f"country {query.country} not compared: the record names no country")
            elif query.country in countries:
                reasons.append(f"country {query.country} agrees")
            else:
                penalty += COUNTRY_PENALTY
                listed = ", ".join(sorted(countries))
                reasons.append(f"country {query.country} differs from the record's {listed} (-{COUNTRY_PENALTY:g})")
        if query.date_of_birth is not None:
            points, reason = _dob_reason(record, query.date_of_birth)
            penalty += points
            reasons.append(reason)
        if query.kind is not None and query.kind is not record.kind:
            kinds = {query.kind, record.kind}
            points = (
                VESSEL_ORGANISATION_PENALTY if kinds == {RecordKind.VESSEL, RecordKind.ORGANISATION} else KIND_PENALTY
            )
            penalty += points
            article = "an" if record.kind is RecordKind.ORGANISATION else "a"
            reasons.append(f"party is a {query.kind.value}, the record {article} {record.kind.value} (-{points:g})")
        return penalty, reasons


def _blocking_keys(norm: NormalisedName) -> set[str]:
    """Index keys of a name: canonical words, word parts, romanised syllables and 3-letter prefixes."""
    keys: set[str] = set(norm.tokens)
    keys.update(norm.parts)
    # Single-letter syllables ("a", "i") would put most of the list in every candidate set.
    keys.update(c for _w, c in norm.syllables if len(c) >= 2)
    keys.update(t[:3] for t in (*norm.tokens, *norm.parts) if len(t) >= 4)
    if len(norm.compact) >= 4:
        keys.add(norm.compact[:3])
    return keys


def _core_cap(query: NormalisedName, listed_core: str, listed_core_sorted: str) -> tuple[float, str]:
    """The highest score an organisation name may reach given how similar the distinctive words are."""
    if not listed_core or len(query.core) < _MIN_CORE_LENGTH or query.core == listed_core:
        return 100.0, ""
    similarity = max(fuzz.ratio(query.core, listed_core), fuzz.ratio(query.core_sorted, listed_core_sorted))
    cap = similarity + CORE_MARGIN
    if cap >= 100.0:
        return 100.0, ""
    return cap, f"distinctive words (without legal-form and generic words) are only {similarity:.1f} similar"


def _syllable_penalty(query: NormalisedName, listed: NormalisedName, form: str) -> tuple[float, str]:
    """Points off when two romanised Korean names differ in whole syllables, and the reason.

    Korean names are two or three syllables long, so one different syllable ("Kim Yong Chol" vs "Kim Song
    Chol") changes the name while costing only about 10 points of character similarity. Each syllable in one
    name and not the other (canonical spellings compared as multisets) costs ``SYLLABLE_PENALTY``, at most
    twice. Only names that parse entirely as romanised syllables are compared this way.
    """
    if not (query.syllabic and listed.syllabic) or query.compact == listed.compact:
        return 0.0, ""
    ours = Counter(query.canonical_syllables)
    theirs = Counter(listed.canonical_syllables)
    extra, missing = ours - theirs, theirs - ours
    differing = max(sum(extra.values()), sum(missing.values()))
    if differing == 0:
        if form == _FORM_SORTED:
            return (
                SYLLABLE_ORDER_PENALTY,
                f"the same syllables in another order (-{SYLLABLE_ORDER_PENALTY:g})",
            )
        return 0.0, ""
    points = SYLLABLE_PENALTY * min(differing, 2)
    shown = f"{'/'.join(sorted(extra.elements())) or '-'} vs {'/'.join(sorted(missing.elements())) or '-'}"
    return points, f"syllables differ: {shown} (-{points:g})"


def _name_reasons(
    norm: NormalisedName, entry: _Entry, cores: tuple[str, str], form: str, form_score: float
) -> list[str]:
    """Why the name matched: the form, romanisation variants, and each name-level deduction."""
    quality = f" ({entry.quality})" if entry.quality else ""
    what = f"{entry.via} {entry.text!r}{quality}"
    raw_score = form_score
    cap, cap_reason = _core_cap(norm, *cores)
    _points, syllable_reason = _syllable_penalty(norm, entry.norm, form)
    reasons: list[str] = []
    if form == _FORM_AS_WRITTEN and raw_score >= 100.0:
        if norm.words == entry.norm.words:
            reasons.append(f"{what} matched after normalisation")
        else:
            reasons.append(f"{what} matched after normalisation (spelling, spacing or hyphenation differs)")
    elif form == _FORM_AS_WRITTEN:
        reasons.append(f"{what} is similar (name score {raw_score:.1f})")
    elif form == _FORM_ROTATED:
        reasons.append(f"{what} matched with the surname moved (name score {raw_score:.1f})")
    elif form == _FORM_SORTED:
        reasons.append(
            f"{what} matched after reordering words (name score {raw_score + TOKEN_ORDER_PENALTY:.1f}, "
            f"-{TOKEN_ORDER_PENALTY:g})"
        )
    else:
        ignored = sorted(norm.generic | entry.norm.generic)
        reasons.append(
            f"{what} matched ignoring legal-form and generic words ({', '.join(ignored) or 'none'}) "
            f"(name score {raw_score + LEGAL_FORM_PENALTY:.1f}, -{LEGAL_FORM_PENALTY:g})"
        )
    reasons.extend(_romanisation_reasons(norm, entry.norm))
    if cap_reason and cap < raw_score:
        reasons.append(f"{cap_reason}: name score capped at {cap:.1f}")
    if syllable_reason:
        reasons.append(syllable_reason)
    if entry.quality == ALIAS_QUALITY_LOW:
        reasons.append(f"the alias is of Low quality (-{LOW_QUALITY_PENALTY:g})")
    return reasons


def _romanisation_reasons(query: NormalisedName, listed: NormalisedName) -> list[str]:
    """'romanisation variant chong~jong' for each canonical syllable written differently on the two sides."""
    listed_spellings: dict[str, set[str]] = {}
    for written, canonical in listed.syllables:
        listed_spellings.setdefault(canonical, set()).add(written)
    reasons: list[str] = []
    seen: set[tuple[str, str]] = set()
    for written, canonical in query.syllables:
        spellings = listed_spellings.get(canonical)
        if not spellings or written in spellings:
            continue
        pair = (written, min(spellings))
        if pair not in seen:
            seen.add(pair)
            reasons.append(f"romanisation variant {pair[0]}~{pair[1]}")
    return reasons


def _dob_reason(record: Designation, wanted: dt.date | int) -> tuple[float, str]:
    shown = wanted.isoformat() if isinstance(wanted, dt.date) else str(wanted)
    year = wanted.year if isinstance(wanted, dt.date) else wanted
    comparable = [d for d in record.dates_of_birth if d.year_range() is not None]
    if record.kind is not RecordKind.PERSON or not comparable:
        return 0.0, f"date of birth {shown} not compared: the record lists none"
    same_year_other_day = False
    for dob in comparable:
        if isinstance(wanted, dt.date) and dob.date is not None:
            if dob.date == wanted:
                return 0.0, f"date of birth {shown} agrees"
            if dob.date.year == year:
                same_year_other_day = True
            continue
        low, high = dob.year_range() or (0, 0)
        if low <= year <= high:
            listed = str(low) if low == high else f"{low}-{high}"
            return 0.0, f"year of birth {year} agrees with the listed {listed}"
    if same_year_other_day:
        return (
            DOB_DAY_PENALTY,
            f"date of birth {shown}: same year as listed, different day (-{DOB_DAY_PENALTY:g})",
        )
    listed_dates = ", ".join(_describe_dob(d) for d in comparable)
    return DOB_PENALTY, f"date of birth {shown} differs from the listed {listed_dates} (-{DOB_PENALTY:g})"


def _describe_dob(dob: DateOfBirth) -> str:
    if dob.date is not None:
        return dob.date.isoformat()
    low, high = dob.year_range() or (0, 0)
    return str(low) if low == high else f"{low}-{high}"

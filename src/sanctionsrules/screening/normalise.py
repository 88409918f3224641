"""Turn a name (or an identifier) into the keys the matcher compares.

A name is folded (Unicode NFKC, accents stripped, case-folded, quotes and apostrophes removed, ``&`` read as
``and``), split into words on spaces and punctuation, and each word's hyphen-separated parts are joined, so
"Ri Je-son", "Ri Je Son" and "Ri Jeson" all give the compact key ``ijeson``. Each part is then rewritten
syllable by syllable into canonical Korean romanisation (see :mod:`.romanisation`), and legal-form words are
folded to one spelling (``corporation``/``corp`` -> ``corp``). Both the query and every listed name go
through the same function, so equal input always gives equal keys.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from .romanisation import segment

__all__ = ["NormalisedName", "fold", "identifier_key", "name_variants", "normalise_name"]

# Apostrophes and quotes are deleted, not turned into spaces: MR writes aspiration and the breve with them
# (Ch'o'l, Myo'ng), and "O'Brien" should stay one word. Typographic forms are listed explicitly.
_DELETE = dict.fromkeys(
    map(
        ord,
        "'\"`\u00b4"  # apostrophe, quote, grave, acute accent
        "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"  # typographic single and double quotes
        "\u2032\u2033\u02b9\u02ba\u02bb\u02bc\u02bd\u02c8",  # primes and modifier-letter apostrophes
    ),
    None,
)
# Characters that join the pieces of one word: hyphens and dashes, slashes (J/V) and dots (Co., S.A.).
_JOINERS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015/.")

# Legal-form and abbreviation spellings folded to one token. The generic ones are also dropped from the
# "core" of an organisation name, so "Korea Mining Development Corp." can reach "... Trading Corporation".
_LEGAL_FORMS: dict[str, str] = {
    "corporation": "corp", "corp": "corp", "corpn": "corp",
    "company": "co", "co": "co", "coy": "co",
    "limited": "ltd", "ltd": "ltd",
    "incorporated": "inc", "inc": "inc",
    "llc": "llc", "plc": "plc", "pte": "pte", "gmbh": "gmbh", "jsc": "jsc", "ojsc": "jsc", "cjsc": "jsc",
    "pjsc": "jsc", "sarl": "sarl", "srl": "srl", "fze": "fze", "fzco": "fze", "fzc": "fze",
    "jv": "jv",
    "shpg": "shipping", "intl": "international",
    "1st": "first", "2nd": "second", "3rd": "third",
}  # fmt: skip
# Long legal-form and generic words are also recognised one typing error away ("CORPOATION", "TRAING"), so
# a typo there cannot make the rest of an organisation name look less similar than it is.
_NEAR_FORMS: dict[str, str] = {
    "corporation": "corp", "incorporated": "inc", "company": "co", "limited": "ltd", "trading": "trading",
    "holdings": "holdings",
}  # fmt: skip
_GENERIC = frozenset(
    {"corp", "co", "ltd", "inc", "llc", "plc", "pte", "gmbh", "jsc", "sarl", "srl", "fze", "jv"}
    | {"trading", "group", "holding", "holdings", "and", "of", "the"}
)
_PHRASES: dict[tuple[str, str], str] = {("joint", "venture"): "jv"}

_UN_REFERENCE = re.compile(r"^[A-Za-z]{2}[ie]\.\s*\d{3}$", re.IGNORECASE)
_TRAILING_PARENTHETICAL = re.compile(r"^(?P<outer>.*\S)\s*\((?P<inner>[^()]+)\)\s*$")
_INNER_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*")
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&.\-]{1,9}$")
_IDENTIFIER_JUNK = re.compile(r"[^0-9A-Z]")
_IMO_PREFIXED = re.compile(r"^IMO(\d{7})$")


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """The comparison keys of one name. Equality ignores ``original``: it is decided by the folded words."""

    original: str = field(compare=False)
    words: tuple[str, ...]
    tokens: tuple[str, ...] = field(compare=False)
    parts: tuple[str, ...] = field(compare=False)
    syllables: tuple[tuple[str, str], ...] = field(compare=False)
    generic: frozenset[str] = field(compare=False)
    compact: str = field(compare=False)
    sorted_form: str = field(compare=False)
    core: str = field(compare=False)
    core_sorted: str = field(compare=False, default="")
    syllabic: bool = field(compare=False, default=False)

    @property
    def canonical_syllables(self) -> tuple[str, ...]:
        """The canonical romanised syllables, in order."""
        return tuple(c for _w, c in self.syllables)

    @property
    def rotations(self) -> tuple[str, ...]:
        """Compact keys with the last word moved first and the first word moved last (surname order)."""
        if len(self.tokens) < 2:
            return ()
        last_first = "".join((self.tokens[-1], *self.tokens[:-1]))
        first_last = "".join((*self.tokens[1:], self.tokens[0]))
        return tuple(dict.fromkeys(r for r in (last_first, first_last) if r != self.compact))


def fold(text: str) -> str:
    """Fold case, accents, quotes and punctuation; keep letters, digits, spaces and '-' as the word joiner."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    # NFC afterwards recomposes Hangul, which NFKD splits into conjoining jamo that are not combining marks.
    text = unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))
    text = text.casefold().translate(_DELETE).replace("&", " and ")
    return "".join(c if c.isalnum() else "-" if c in _JOINERS else " " for c in text)


@functools.lru_cache(maxsize=16384)
def normalise_name(text: str) -> NormalisedName:
    """All comparison keys of ``text``; cached, since the engine screens the same party names again."""
    words: list[list[str]] = []
    for word in fold(text).split():
        pieces = [p for p in word.split("-") if p]
        if pieces:
            words.append(pieces)
    merged: list[list[str]] = []
    for pieces in words:
        if merged and len(merged[-1]) == 1 and len(pieces) == 1 and (merged[-1][0], pieces[0]) in _PHRASES:
            merged[-1] = [_PHRASES[(merged[-1][0], pieces[0])]]
        else:
            merged.append(pieces)
    tokens: list[str] = []
    parts: list[str] = []
    syllables: list[tuple[str, str]] = []
    generic: set[str] = set()
    syllabic = True
    for pieces in merged:
        joined = "".join(pieces)
        legal = _LEGAL_FORMS.get(joined) or _near_form(joined)
        if legal is not None:
            tokens.append(legal)
            parts.append(legal)
            if legal in _GENERIC:
                generic.add(legal)
            syllabic = False
            continue
        if joined in _GENERIC:
            generic.add(joined)
        canonical_pieces: list[str] = []
        for piece in pieces:
            split = segment(piece) if piece.isascii() and piece.isalpha() else None
            if split is None:
                syllabic = False
                canonical_pieces.append(piece)
            else:
                canonical_pieces.append("".join(c for _, c in split))
                syllables.extend(split)
        parts.extend(canonical_pieces)
        tokens.append("".join(canonical_pieces))
    core_tokens = [t for t in tokens if t not in _GENERIC]
    return NormalisedName(
        original=text,
        words=tuple("".join(p) for p in merged),
        tokens=tuple(tokens),
        parts=tuple(parts),
        syllables=tuple(syllables),
        generic=frozenset(generic),
        compact="".join(tokens),
        sorted_form=" ".join(sorted(tokens)),
        core="".join(core_tokens),
        core_sorted=" ".join(sorted(core_tokens)),
        syllabic=syllabic and bool(syllables),
    )


def _near_form(word: str) -> str | None:
    if len(word) < 6 or not word.isalpha():
        return None
    for form, canonical in _NEAR_FORMS.items():
        if abs(len(form) - len(word)) <= 1 and Levenshtein.distance(word, form, score_cutoff=1) <= 1:
            return canonical
    return None


def name_variants(text: str) -> tuple[tuple[str, str], ...]:
    """Extra names hidden in a published name, as (name, how it was derived) pairs.

    "DAEDONG CREDIT BANK (DCB)" also yields "DAEDONG CREDIT BANK" and the acronym "DCB"; "Jin Tiesan (金铁三)"
    yields both halves; "SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)" drops the cross-reference; a
    parenthetical inside a name ("LEADER (HONG KONG) INTERNATIONAL") yields the name without it. Other
    parentheticals are not split off: "(HONG KONG)" on its own would match every Hong Kong party.
    """
    found: list[tuple[str, str]] = []
    trailing = _TRAILING_PARENTHETICAL.match(text)
    if trailing is not None:
        outer, inner = trailing["outer"].strip(), trailing["inner"].strip()
        found.append((outer, "without the parenthetical"))
        if _UN_REFERENCE.match(inner) is None and (_ACRONYM.match(inner) or _script(inner) != _script(outer)):
            found.append((inner, "acronym or other-script name in parentheses"))
    elif "(" in text:
        bare = " ".join(_INNER_PARENTHETICAL.sub(" ", text).split())
        if bare and bare != text:
            found.append((bare, "without the parenthetical"))
    return tuple(found)


def _script(text: str) -> str:
    """'latin' when every letter is ASCII after folding accents, else 'other'."""
    letters = [c for c in fold(text) if c.isalpha()]
    return "latin" if all(c.isascii() for c in letters) else "other"


def identifier_key(number: str) -> str:
    """An identifier as compared: NFKC, upper case, letters and digits only, an "IMO" prefix dropped."""
    key = _IDENTIFIER_JUNK.sub("", unicodedata.normalize("NFKC", number).upper())
    imo = _IMO_PREFIXED.match(key)
    return imo[1] if imo else key


def is_un_reference(text: str) -> bool:
    """Whether ``text`` looks like a UN reference number such as ``KPe.001`` or ``KPi.033``."""
    return _UN_REFERENCE.match(text.strip()) is not None

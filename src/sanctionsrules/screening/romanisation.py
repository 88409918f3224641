"""Canonical keys for romanised Korean syllables, so one name written in different systems compares equal.

The same Korean syllable reaches a sanctions list in several spellings: McCune-Reischauer as used by the DPRK
("Chong", "Ch'o'l", "Kwang", "Ri"), Revised Romanisation as used by the ROK ("Jeong", "Cheol", "Gwang", "I"),
and customary passport spellings ("Lee", "Park", "Choi", "Young", "Sung", "Chul"). Each written syllable is
parsed into initial + vowel + final and every part is folded to one canonical letter group. The folding is
deliberately lossy (aspirated and plain consonants merge, as do o/eo and u/eu): a screening key must rather
bring two different people together for a human to review than keep one person apart.

Sources for the table (public standards, written from their published descriptions; no code was copied):

* McCune & Reischauer, "The Romanization of the Korean Language" (1939), and the DPRK's 1992 national variant
  of it: aspirates marked with an apostrophe (ch', k', p', t'), the vowels ŏ/ŭ written with a breve (typed as
  o'/u' or plain o/u once the breve is lost), plain stops written ch/k/p/t, initial r/l kept (Ri, Ryu, Ra).
* Revised Romanization of Korean (ROK Ministry of Culture and Tourism notice 2000-8): eo/eu for ŏ/ŭ,
  g/d/b/j for plain initials, k/t/p/ch for aspirated ones, and the initial-sound rule (dueum beopchik) that
  drops r/n before i/y and turns r into n before other vowels (Ri -> I, Ryong -> Yong, Ra -> Na).
* Customary surname and given-name spellings seen in passports and in the National Institute of the Korean
  Language's surname romanisation survey (2009): Lee/Rhee/Yi, Park, Choi, Oh, Ahn, Sohn, Suh, Koh, Noh/Roh,
  Woo, Young, Sung, Chul, Hyun, Hyuk and the -yung forms (Byung, Myung, Kyung, Hyung).

Chae (채) is a different surname from Choe/Choi (최) and is deliberately not merged with it; Jung (중) is kept
apart from Jong/Jeong (정) for the same reason, and fuzzy scoring still brings the two close.
"""

from __future__ import annotations

import functools

__all__ = ["canonical_syllable", "segment"]

# Written initial -> canonical initial. Plain, tense and aspirated stops merge (apostrophes are already gone).
_INITIALS: dict[str, str] = {
    "": "",
    "g": "g", "k": "g", "kk": "g", "gg": "g",
    "n": "n",
    "d": "d", "t": "d", "tt": "d",
    "r": "r", "l": "r", "rh": "r",
    "m": "m",
    "b": "b", "p": "b", "pp": "b",
    "s": "s", "ss": "s", "sh": "s",
    "j": "j", "ch": "j", "jj": "j", "tch": "j",
    "h": "h",
}  # fmt: skip

# Written vowel -> canonical vowel. MR o/u with a lost breve equal RR eo/eu; ai/oi/ee/oo are customary.
_VOWELS: dict[str, str] = {
    "a": "a", "ae": "ae", "ai": "ae",
    "ya": "ya", "yae": "yae",
    "o": "o", "eo": "o",
    "yo": "yo", "yeo": "yo",
    "u": "u", "eu": "u", "oo": "u",
    "yu": "yu", "yoo": "yu",
    "i": "i", "ee": "i", "yi": "i", "ui": "i", "eui": "i",
    "e": "e", "ye": "ye",
    "oe": "oe", "oi": "oe",
    "wa": "wa", "wae": "wae", "wo": "wo", "weo": "wo", "we": "we", "wi": "wi",
}  # fmt: skip

# Written final -> canonical final. Finals use the same letters as canonical initials (k -> g, t -> d, p -> b)
# so that a joined name reads the same however it is split: "Rikim" parses as rik+im, "Ri Kim" as ri+kim, and
# both must give "igim"; likewise kwang+il and kwan+gil both give "gwangil".
_FINALS: dict[str, str] = {
    "": "", "k": "g", "t": "d", "p": "b", "n": "n", "m": "m", "ng": "ng", "l": "l", "ll": "l",
}  # fmt: skip

# Whole written syllables with customary spellings that the initial/vowel/final grammar cannot reach, or would
# reach wrongly ("young" would parse as yo+ung). Values are canonical syllables.
_CUSTOMARY: dict[str, str] = {
    "lee": "i", "rhee": "i", "yi": "i",
    "park": "bag", "choi": "joe", "oh": "o", "ahn": "an", "sohn": "son", "suh": "so", "koh": "go",
    "noh": "no", "roh": "no", "woo": "u", "hur": "ho",
    "young": "yong", "yung": "yong", "byung": "byong", "pyung": "byong", "myung": "myong", "kyung": "gyong",
    "gyung": "gyong", "hyung": "hyong", "sung": "song", "chul": "jol", "hyun": "hyon", "hyuk": "hyog",
}  # fmt: skip


def _canonical(initial: str, vowel: str, final: str) -> str:
    head = _INITIALS[initial]
    body = _VOWELS[vowel]
    # Initial-sound rule, applied to every syllable so that spacing ("Kwang Ryong" vs "Kwang-ryong") cannot
    # change the key: r and n vanish before i/y, and r becomes n elsewhere.
    if head in ("r", "n") and body[0] in "iy":
        head = ""
    elif head == "r":
        head = "n"
    return head + body + _FINALS[final]


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for initial in _INITIALS:
        for vowel in _VOWELS:
            for final in _FINALS:
                table.setdefault(initial + vowel + final, _canonical(initial, vowel, final))
    table.update(_CUSTOMARY)
    return table


_SYLLABLES = _build_table()
_LONGEST = max(map(len, _SYLLABLES))


def canonical_syllable(written: str) -> str | None:
    """The canonical key of one written syllable (lower-case ASCII), or None if it is not a syllable."""
    return _SYLLABLES.get(written)


@functools.lru_cache(maxsize=65536)
def segment(word: str) -> tuple[tuple[str, str], ...] | None:
    """Split a lower-case ASCII word into (written, canonical) syllables; None when it is not all syllables.

    "jeson" -> (("je", "je"), ("son", "son")); "chongchongang" -> chong+chong+ang. The split with the fewest
    syllables wins, and among those the one with the longest first syllable, so "kwangil" is kwang+il (a
    common given name) rather than kwan+gil. Words of other languages either fail to parse or parse into
    harmless keys; both sides of a comparison go through the same function, so equal input stays equal.
    """
    size = len(word)
    if size == 0 or size > 40:
        return None
    # best[i] = (syllable count, length of the first syllable) for the suffix starting at i.
    best: list[tuple[int, int] | None] = [None] * (size + 1)
    best[size] = (0, 0)
    for start in range(size - 1, -1, -1):
        chosen: tuple[int, int] | None = None
        for length in range(min(_LONGEST, size - start), 0, -1):
            rest = best[start + length]
            if rest is None or word[start : start + length] not in _SYLLABLES:
                continue
            if chosen is None or rest[0] + 1 < chosen[0]:
                chosen = (rest[0] + 1, length)
        best[start] = chosen
    if best[0] is None:
        return None
    parts: list[tuple[str, str]] = []
    position = 0
    while position < size:
        step = best[position]
        assert step is not None
        written = word[position : position + step[1]]
        parts.append((written, _SYLLABLES[written]))
        position += step[1]
    return tuple(parts)

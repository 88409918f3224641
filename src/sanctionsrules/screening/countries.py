"""Map the UN's country strings (and a caller's country input) to ISO 3166-1 alpha-2 codes.

pycountry knows official and common names, but the UN list writes several countries in UN long forms that
pycountry does not carry ("Iran (Islamic Republic of)", "China, Hong Kong Special Administrative Region"),
uses older names ("Turkey", "Libyan Arab Jamahiriya"), demonyms ("Afghan", "Kuwaiti") and notes
("Libya (in custody)", "Iran / unknown"). The table below covers the forms seen in the 2017-2026 lists.
"""

from __future__ import annotations

import functools
import re

import pycountry

from .errors import ScreeningError

__all__ = ["country_codes", "resolve_country"]

# UN long forms, former names and demonyms seen in the consolidated list, plus the usual short forms a caller
# may type. Keys are lower-case; values are ISO 3166-1 alpha-2.
_EXTRA_FORMS: dict[str, str] = {
    "democratic people's republic of korea": "KP",
    "dprk": "KP",
    "d.p.r.k.": "KP",
    "north korea": "KP",
    "korea, north": "KP",
    "rpdc": "KP",  # the French form appears in the 2017 list
    "republic of korea": "KR",
    "south korea": "KR",
    "korea, south": "KR",
    "iran (islamic republic of)": "IR",
    "china, hong kong special administrative region": "HK",
    "hong kong special administrative region": "HK",
    "china, macao special administrative region": "MO",
    "democratic republic of the congo": "CD",
    "state of palestine": "PS",
    "palestinian territories": "PS",
    "turkey": "TR",
    "the netherlands": "NL",
    "libyan arab jamahiriya": "LY",
    "bolivia (plurinational state of)": "BO",
    "venezuela (bolivarian republic of)": "VE",
    "micronesia (federated states of)": "FM",
    "united kingdom": "GB",
    "united states": "US",
    "usa": "US",
    "uae": "AE",
    "tanzania": "TZ",
    "sultanate of oman": "OM",
    "union of the comoros": "KM",
    "afghan": "AF",
    "algerian": "DZ",
    "egyptian": "EG",
    "ethiopian": "ET",
    "german": "DE",
    "indonesian": "ID",
    "iraqi": "IQ",
    "jordanian": "JO",
    "kuwaiti": "KW",
    "libyan": "LY",
    "moroccan": "MA",
    "pakistani": "PK",
    "palestinian": "PS",
    "saudi arabian": "SA",
    "somali": "SO",
    "sudanese": "SD",
    "syrian": "SY",
    "tunisian": "TN",
    "yemeni": "YE",
}

# Separators inside free-text country values: "Sudan/South Sudan", "Branch Office 11: Iran", "X. Also ...".
_SPLIT = re.compile(r"\s*(?:/|;|:|\.\s|\bor\b)\s*")
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*")
_TRAILING_WORDS = re.compile(r"\s+(?:passport|citizen|national)$")


@functools.lru_cache(maxsize=1024)
def _lookup(text: str) -> str | None:
    key = " ".join(text.split()).strip(" .,").lower()
    if not key:
        return None
    if key in _EXTRA_FORMS:
        return _EXTRA_FORMS[key]
    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return None
    code: str = country.alpha_2
    return code


@functools.lru_cache(maxsize=4096)
def country_codes(text: str | None) -> tuple[str, ...]:
    """ISO alpha-2 codes named by a UN country string; empty when none can be recognised.

    Tries the whole string, then the string without parenthetical notes, then each part of a compound value
    ("Sudan/South Sudan" gives both). ``China`` with a Hong Kong state/province is handled by the importer.
    """
    if text is None:
        return ()
    whole = _lookup(text)
    if whole is not None:
        return (whole,)
    bare = _PARENTHETICAL.sub(" ", text).strip()
    found: list[str] = []
    for part in _SPLIT.split(bare):
        part = _TRAILING_WORDS.sub("", part.strip().lower())
        code = _lookup(part)
        if code is not None and code not in found:
            found.append(code)
    return tuple(found)


def resolve_country(text: str) -> str:
    """A caller's country (alpha-2, alpha-3, English name or UN long form) as ISO alpha-2.

    Raises ScreeningError when the country is not recognised, so a typo is never silently ignored.
    """
    from sanctionsrules.model.codes import country_codes as model_codes

    if text.strip().upper() in model_codes():  # every code a transfer may carry, Kosovo's XK included
        return text.strip().upper()
    codes = country_codes(text.strip())
    if len(codes) != 1:
        raise ScreeningError(f"unknown country {text!r}: give an ISO 3166 code (e.g. KP) or an English name")
    return codes[0]

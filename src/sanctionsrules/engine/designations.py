"""Who is designated: the source the ``designated`` test asks.

The default source trusts a UN list reference carried on the party (``KPe.001`` names a DPRK-list entity).
Screening by name against the UN consolidated list plugs in through the same protocol.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Protocol

from sanctionsrules.logic import FALSE, TRUE, Tri
from sanctionsrules.model.transfer import Party

__all__ = ["UN_LIST_PREFIXES", "DesignationSource", "ReferenceDesignations"]

# The UN consolidated list's regime names (UN_LIST_TYPE) and the prefixes of their reference numbers.
UN_LIST_PREFIXES: Final = {
    "DPRK": "KP",
    "Al-Qaida": "QD",
    "Taliban": "TA",
    "Iraq": "IQ",
    "DRC": "CD",
    "Libya": "LY",
    "Somalia": "SO",
    "CAR": "CF",
    "Sudan": "SD",
    "Yemen": "YE",
    "GB": "GB",
    "Haiti": "HT",
    "SouthSudan": "SS",
    "Iran": "IR",
}
_REFERENCE = re.compile(r"^([A-Z]{2})([ie])\.([0-9]{3})$")


class DesignationSource(Protocol):
    """Answers whether a party is designated under any of ``regimes`` on a date, in three-valued logic."""

    @property
    def version(self) -> str:
        """What the answers rest on (a list and its date), recorded in every decision."""
        ...

    def check(self, party: Party, regimes: frozenset[str], on: dt.date) -> tuple[Tri, str]:
        """The verdict (TRUE designated, UNKNOWN a possible match to review, FALSE not) and why, in words."""
        ...

    def may_designate(self, party: Party) -> bool:
        """A cheap pre-test for the index: False only when ``check`` is certain to answer FALSE on any date."""
        ...


class ReferenceDesignations:
    """A party counts as designated when it carries a well-formed UN reference of one of the regimes.

    It cannot see listing dates or names: a party without a reference is taken as not designated. Name screening
    against the list (``sanctionsrules.screening``) replaces this where the list is loaded.
    """

    def check(self, party: Party, regimes: frozenset[str], on: dt.date) -> tuple[Tri, str]:
        """TRUE with the reference when one matches a regime's prefix; FALSE otherwise."""
        prefixes = {UN_LIST_PREFIXES.get(r, r) for r in regimes}
        for identifier in party.identifiers:
            if identifier.scheme != "un_ref":
                continue
            match = _REFERENCE.match(identifier.value.strip())
            if match and match.group(1) in prefixes:
                return TRUE, f"carries UN reference {identifier.value.strip()}"
        return FALSE, "carries no UN reference of the list"

    @property
    def version(self) -> str:
        """No list: only the references carried on parties."""
        return "UN references carried on parties (no list, no name screening)"

    def may_designate(self, party: Party) -> bool:
        """Only a party carrying a UN reference can be designated here."""
        identifiers = party.identifiers
        return bool(identifiers) and any(identifier.scheme == "un_ref" for identifier in identifiers)

    def __reduce__(self) -> tuple[type[ReferenceDesignations], tuple[()]]:
        return (ReferenceDesignations, ())

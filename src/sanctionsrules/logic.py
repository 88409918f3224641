"""Three-valued (Kleene) logic. Plain ints keep the hot path fast: FALSE 0, TRUE 1, UNKNOWN 2."""

from __future__ import annotations

from typing import Final

__all__ = ["FALSE", "TRUE", "UNKNOWN", "Tri", "tri_and", "tri_name", "tri_not", "tri_or"]

Tri = int
FALSE: Final = 0
TRUE: Final = 1
UNKNOWN: Final = 2

_NAMES: Final = ("false", "true", "unknown")


def tri_name(value: Tri) -> str:
    """``'true'``, ``'false'`` or ``'unknown'``."""
    return _NAMES[value]


def tri_not(value: Tri) -> Tri:
    """Kleene negation: unknown stays unknown."""
    return UNKNOWN if value == UNKNOWN else 1 - value


def tri_and(a: Tri, b: Tri) -> Tri:
    """Kleene conjunction: false wins, then unknown."""
    if a == FALSE or b == FALSE:
        return FALSE
    if a == UNKNOWN or b == UNKNOWN:
        return UNKNOWN
    return TRUE


def tri_or(a: Tri, b: Tri) -> Tri:
    """Kleene disjunction: true wins, then unknown."""
    if a == TRUE or b == TRUE:
        return TRUE
    if a == UNKNOWN or b == UNKNOWN:
        return UNKNOWN
    return FALSE

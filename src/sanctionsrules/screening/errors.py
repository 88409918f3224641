"""The one error type the screening subpackage raises on purpose."""

from __future__ import annotations

from sanctionsrules.errors import SanctionsRulesError

__all__ = ["ScreeningError"]


class ScreeningError(SanctionsRulesError, ValueError):
    """Bad input to screening: an unreadable list file, a malformed snapshot, an unknown country, a bad date.

    It is a ``ValueError`` so callers that validate input generically still catch it. The message always names
    the file (where there is one) and the problem, so the CLI can print it as is.
    """

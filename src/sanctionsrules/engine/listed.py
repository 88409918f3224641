"""Designations from the UN consolidated list: a party is screened by its identifiers and by its names.

The list-backed ``DesignationSource``: a UN reference, passport or IMO number on the party that the list holds is
decisive; otherwise the party's name and aliases are screened with its country, kind and date of birth. A strong
match is TRUE (the rule's verdict), a possible match UNKNOWN (``review``, for a person to confirm or rule out), no
match FALSE. Only designations listed on or before the transfer date count.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri
from sanctionsrules.model.transfer import Party

if TYPE_CHECKING:
    from sanctionsrules.screening import Screener, ScreeningMatch

__all__ = ["ListDesignations"]

_KINDS = {"person": "person", "organisation": "organisation", "state_body": "organisation", "vessel": "vessel"}


class ListDesignations:
    """Screens parties against a list snapshot (default: the UN list shipped with the package), loaded on first use.

    Results are cached per (party, regimes, date): counterparties repeat across a stream of transfers, and the
    engine asks once to decide and once more to explain.
    """

    def __init__(self, snapshot: str | Path | None = None, *, cache_size: int = 65536) -> None:
        self.snapshot = str(snapshot) if snapshot is not None else None
        self._screener: Screener | None = None
        self._version = ""
        self._lock = threading.Lock()
        self._cache_size = cache_size
        self._check = lru_cache(maxsize=cache_size)(self._uncached_check)
        self._may = lru_cache(maxsize=cache_size)(self._uncached_may)

    def __reduce__(self) -> tuple[type[ListDesignations], tuple[str | None]]:
        return (ListDesignations, (self.snapshot,))  # a worker process loads the list itself

    @property
    def screener(self) -> Screener:
        """The screener over the snapshot, built on first use (thread-safe)."""
        if self._screener is None:
            with self._lock:
                if self._screener is None:
                    from sanctionsrules.screening import Screener, load_default_snapshot, open_list

                    snapshot = load_default_snapshot() if self.snapshot is None else open_list(self.snapshot)
                    source = snapshot.provenance
                    self._version = f"{source.list_name} of {source.date_generated} (sha256:{source.source_sha256})"
                    self._screener = Screener(snapshot)
        return self._screener

    @property
    def version(self) -> str:
        """The list screened against, for the audit record: its name, generation time and source hash."""
        _ = self.screener
        return self._version

    def check(self, party: Party, regimes: frozenset[str], on: dt.date) -> tuple[Tri, str]:
        """TRUE on a strong match or a listed identifier, UNKNOWN on a possible match, FALSE otherwise."""
        return self._check(party, regimes, on)

    def may_designate(self, party: Party) -> bool:
        """False when neither an identifier nor any name of the party can match the list."""
        return self._may(party)

    def _uncached_may(self, party: Party) -> bool:
        if party.identifiers:
            return True
        screener = self.screener
        return any(screener.may_match(name) for name in (party.name, *party.aliases))

    def _uncached_check(self, party: Party, regimes: frozenset[str], on: dt.date) -> tuple[Tri, str]:
        screener = self.screener
        identifiers = [i.value for i in party.identifiers]
        kind = _KINDS.get(party.kind) if party.kind else None
        best: ScreeningMatch | None = None
        for name in (party.name, *party.aliases):
            for match in screener.screen(
                name,
                country=party.country,
                kind=kind,
                date_of_birth=party.date_of_birth,
                identifiers=identifiers,
                as_of=on,
                limit=5,
            ):
                if match.regime in regimes and (best is None or match.score > best.score):
                    best = match
        if best is None:
            return FALSE, f"no match on the UN list as of {on}"
        via = f"{best.matched_via} {best.matched_name!r}" if best.matched_via else repr(best.matched_name)
        listed = f", listed {best.listed_on}" if best.listed_on else ""
        evidence = (
            f"{best.reference} {best.primary_name}{listed}: matched {via}, score {best.score:.0f} "
            f"({best.band}); " + "; ".join(best.reasons)
        )
        return (TRUE if best.band == "strong" else UNKNOWN), evidence

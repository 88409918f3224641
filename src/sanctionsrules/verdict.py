"""The verdict lattice: permitted < review < license_required < prohibited."""

from __future__ import annotations

import enum

__all__ = ["Verdict"]


class Verdict(enum.IntEnum):
    """How severe a finding or a decision is. Ordered, so ``max()`` gives the most severe."""

    PERMITTED = 0
    REVIEW = 1
    LICENSE_REQUIRED = 2
    PROHIBITED = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Verdict:
        """The verdict named ``text`` (``'prohibited'``, ``'license_required'``...)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(str(v) for v in cls)
            raise ValueError(f"unknown verdict {text!r}: expected one of {names}") from None

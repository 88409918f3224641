"""What a check returns: the verdict, every finding with its legal basis and reasons, and what was checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sanctionsrules.verdict import Verdict

__all__ = ["Coverage", "Decision", "Finding"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that matched (or could not be ruled out) on the transfer, or on one of its items.

    ``verdict`` is what the finding weighs after exemptions; ``rule_verdict`` is what the rule itself says
    (a rule that could not be decided for want of facts gives ``review`` and lists them in ``missing``).
    ``because`` lists the facts that made the rule match.
    """

    rule: str
    verdict: Verdict
    rule_verdict: Verdict
    basis: str
    title: str
    item: int | None = None
    because: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    exemption: str | None = None
    exemption_basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with a fixed key order."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "verdict": str(self.verdict),
            "basis": self.basis,
            "title": self.title,
            "item": self.item,
            "because": list(self.because),
        }
        if self.missing:
            out["missing"] = list(self.missing)
        if self.rule_verdict != self.verdict or self.exemption:
            out["rule_verdict"] = str(self.rule_verdict)
        if self.exemption:
            out["exemption"] = {"id": self.exemption, "basis": self.exemption_basis}
        return out


@dataclass(frozen=True, slots=True)
class Coverage:
    """What was checked: the regimes and how many of their rules were in force on the date."""

    regimes: tuple[str, ...]
    rules_in_force: int
    rules_total: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "regimes": list(self.regimes),
            "rules_in_force": self.rules_in_force,
            "rules_total": self.rules_total,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of checking one transfer against one compiled rule set.

    The same transfer and rule set always give the same decision: there is no clock inside. ``dated_by`` says
    whether the date came from the transfer or from the caller's ``as_of``.
    """

    transfer: str
    verdict: Verdict
    as_of: dt.date
    dated_by: str
    findings: tuple[Finding, ...]
    coverage: Coverage
    ruleset_digest: str
    ruleset_version: str
    engine: str
    designations: str = ""

    @property
    def permitted(self) -> bool:
        """True when no finding weighs more than ``permitted``."""
        return self.verdict == Verdict.PERMITTED

    def rules(self) -> tuple[str, ...]:
        """The rule ids of the findings, in order, without repeats."""
        return tuple(dict.fromkeys(f.rule for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with a fixed key order (the same decision serialises to the same bytes)."""
        return {
            "transfer": self.transfer,
            "verdict": str(self.verdict),
            "as_of": self.as_of.isoformat(),
            "dated_by": self.dated_by,
            "findings": [f.to_dict() for f in self.findings],
            "coverage": self.coverage.to_dict(),
            "ruleset": {
                "digest": self.ruleset_digest,
                "version": self.ruleset_version,
                "designations": self.designations,
            },
            "engine": self.engine,
        }

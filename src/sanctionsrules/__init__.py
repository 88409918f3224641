"""sanctionsrules: check transfers of goods against sanctions law, and say exactly why.

    >>> from sanctionsrules import load_rules, compile_rules, Transfer
    >>> rules = compile_rules(load_rules())            # the built-in rules; compile once
    >>> decision = rules.check(Transfer.model_validate(data))

Importing the package is cheap: the engine, the rule loader and the model load on first use, and Hypothesis
and durable-rules are never imported here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sanctionsrules._version import __version__

if TYPE_CHECKING:
    from sanctionsrules.decision import Coverage, Decision, Finding
    from sanctionsrules.engine import CompiledRuleSet, compile_rules
    from sanctionsrules.errors import InputError, RuleSetError, SanctionsRulesError
    from sanctionsrules.model import ExemptionClaim, GoodsItem, Party, Transfer
    from sanctionsrules.ruleset import RuleSet, load_rules
    from sanctionsrules.verdict import Verdict

__all__ = [
    "CompiledRuleSet",
    "Coverage",
    "Decision",
    "ExemptionClaim",
    "Finding",
    "GoodsItem",
    "InputError",
    "Party",
    "RuleSet",
    "RuleSetError",
    "SanctionsRulesError",
    "Transfer",
    "Verdict",
    "__version__",
    "compile_rules",
    "load_rules",
]

_WHERE = {
    "CompiledRuleSet": "sanctionsrules.engine",
    "compile_rules": "sanctionsrules.engine",
    "Coverage": "sanctionsrules.decision",
    "Decision": "sanctionsrules.decision",
    "Finding": "sanctionsrules.decision",
    "InputError": "sanctionsrules.errors",
    "RuleSetError": "sanctionsrules.errors",
    "SanctionsRulesError": "sanctionsrules.errors",
    "ExemptionClaim": "sanctionsrules.model",
    "GoodsItem": "sanctionsrules.model",
    "Party": "sanctionsrules.model",
    "Transfer": "sanctionsrules.model",
    "RuleSet": "sanctionsrules.ruleset",
    "load_rules": "sanctionsrules.ruleset",
    "Verdict": "sanctionsrules.verdict",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sanctionsrules' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

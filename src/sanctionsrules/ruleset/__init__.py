"""The YAML rule language: schema, located loading, lint."""

from sanctionsrules.ruleset.loader import builtin_rules_path, lint_rules, load_rules
from sanctionsrules.ruleset.rules import Exemption, Regime, Rule, RuleSet

__all__ = ["Exemption", "Regime", "Rule", "RuleSet", "builtin_rules_path", "lint_rules", "load_rules"]

"""The native evaluator: compiled conditions, an index, three-valued evaluation, exemptions and decisions."""

from sanctionsrules.engine.designations import DesignationSource, ReferenceDesignations
from sanctionsrules.engine.evaluator import CompiledRuleSet, compile_rules, default_designations

__all__ = ["CompiledRuleSet", "DesignationSource", "ReferenceDesignations", "compile_rules", "default_designations"]

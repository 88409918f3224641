"""Compiled condition nodes. ``value`` decides fast; ``explain`` decides again and records why, for findings."""

from __future__ import annotations

from sanctionsrules.engine.facts import Context, Getter, ValuesGetter
from sanctionsrules.engine.operators import Operator
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri

__all__ = ["AllNode", "AnyNode", "ClaimNode", "ExistsNode", "MemoNode", "Node", "NotNode", "TestNode"]


class Node:
    """A compiled condition."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text  # the condition in words, for explanations of negations

    def value(self, ctx: Context) -> Tri:
        """The condition's truth value on ``ctx``."""
        raise NotImplementedError

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        """The truth value, appending the facts that made it TRUE and, where UNKNOWN, what is missing."""
        raise NotImplementedError


class TestNode(Node):
    """A fact tested by an operator; one passing value of a multi-valued fact is enough."""

    __slots__ = ("get", "op", "values")

    def __init__(self, text: str, get: Getter, values: ValuesGetter, op: Operator) -> None:
        super().__init__(text)
        self.get = get
        self.values = values
        self.op = op

    def value(self, ctx: Context) -> Tri:
        result = FALSE
        test = self.op.test
        for value in self.values(ctx):
            if value is None:
                result = UNKNOWN
                continue
            outcome = test(value, ctx)
            if outcome == TRUE:
                return TRUE
            if outcome == UNKNOWN:
                result = UNKNOWN
        return result

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        unknown: list[str] = []
        held: list[str] = []
        for label, value in self.get(ctx):
            if value is None:
                unknown.append(label)
                continue
            outcome = self.op.test(value, ctx)
            if outcome == TRUE:
                held.append(self.op.say(label, value, TRUE, ctx))  # every party that matches, not just one
            elif outcome == UNKNOWN:
                unknown.append(self.op.say(label, value, UNKNOWN, ctx))
        if held:
            because += held
            return TRUE
        missing += unknown
        return UNKNOWN if unknown else FALSE


class ExistsNode(Node):
    """Whether a fact is given at all. Never unknown: it is how a rule asks about missing facts on purpose."""

    __slots__ = ("values", "wanted")

    def __init__(self, text: str, values: ValuesGetter, wanted: bool) -> None:
        super().__init__(text)
        self.values = values
        self.wanted = wanted

    def value(self, ctx: Context) -> Tri:
        present = any(v is not None for v in self.values(ctx))
        return TRUE if present == self.wanted else FALSE

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        result = self.value(ctx)
        if result == TRUE:
            because.append(self.text)
        return result


class AllNode(Node):
    __slots__ = ("children",)

    def __init__(self, text: str, children: tuple[Node, ...]) -> None:
        super().__init__(text)
        self.children = children

    def value(self, ctx: Context) -> Tri:
        result = TRUE
        for child in self.children:
            outcome = child.value(ctx)
            if outcome == FALSE:
                return FALSE
            if outcome == UNKNOWN:
                result = UNKNOWN
        return result

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        result = self.value(ctx)
        if result != FALSE:
            for child in self.children:
                child.explain(ctx, because, missing)
        return result


class AnyNode(Node):
    __slots__ = ("children",)

    def __init__(self, text: str, children: tuple[Node, ...]) -> None:
        super().__init__(text)
        self.children = children

    def value(self, ctx: Context) -> Tri:
        result = FALSE
        for child in self.children:
            outcome = child.value(ctx)
            if outcome == TRUE:
                return TRUE
            if outcome == UNKNOWN:
                result = UNKNOWN
        return result

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        outcomes = [child.value(ctx) for child in self.children]
        if TRUE in outcomes:
            # Name every alternative that holds (the principal in the DPRK as well as the destination): an
            # auditor wants all the grounds, and explanations are built only for findings.
            for child, outcome in zip(self.children, outcomes, strict=True):
                if outcome == TRUE:
                    child.explain(ctx, because, [])
            return TRUE
        if UNKNOWN in outcomes:
            for child, outcome in zip(self.children, outcomes, strict=True):
                if outcome == UNKNOWN:
                    child.explain(ctx, because, missing)
            return UNKNOWN
        return FALSE


class NotNode(Node):
    __slots__ = ("child",)

    def __init__(self, text: str, child: Node) -> None:
        super().__init__(text)
        self.child = child

    def value(self, ctx: Context) -> Tri:
        outcome = self.child.value(ctx)
        return UNKNOWN if outcome == UNKNOWN else TRUE - outcome

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        outcome = self.child.value(ctx)
        if outcome == FALSE:
            because.append(f"not: {self.child.text}")
            return TRUE
        if outcome == UNKNOWN:
            self.child.explain(ctx, [], missing)
            return UNKNOWN
        return FALSE


class ClaimNode(Node):
    """The transfer carries an exemption claim of one of the kinds, from one of the authorities."""

    __slots__ = ("authorities", "kinds", "needs_reference")

    def __init__(
        self,
        text: str,
        kinds: frozenset[str] | None,
        authorities: frozenset[str] | None,
        needs_reference: bool,
    ) -> None:
        super().__init__(text)
        self.kinds = kinds
        self.authorities = authorities
        self.needs_reference = needs_reference

    def _match(self, ctx: Context) -> str | None:
        for i, claim in enumerate(ctx.transfer.exemption_claims):
            if self.kinds is not None and claim.kind not in self.kinds:
                continue
            if self.authorities is not None and claim.authority not in self.authorities:
                continue
            if self.needs_reference and not claim.reference:
                continue
            ref = f" ref {claim.reference}" if claim.reference else ""
            return f"exemption_claims[{i}]: {claim.kind} by {claim.authority}{ref}"
        return None

    def value(self, ctx: Context) -> Tri:
        return FALSE if self._match(ctx) is None else TRUE

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        found = self._match(ctx)
        if found is None:
            return FALSE
        because.append(found)
        return TRUE


class MemoNode(Node):
    """A named condition that does not look at items (``to_dprk``): decided once per transfer, then remembered.

    Dozens of rules share the same few named conditions; without this each would decide them again.
    """

    __slots__ = ("child",)

    def __init__(self, text: str, child: Node) -> None:
        super().__init__(text)
        self.child = child

    def value(self, ctx: Context) -> Tri:
        memo = ctx.memo
        found = memo.get(self)
        if found is None:
            found = memo[self] = self.child.value(ctx)
        return found

    def explain(self, ctx: Context, because: list[str], missing: list[str]) -> Tri:
        return self.child.explain(ctx, because, missing)

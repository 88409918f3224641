"""The stream monitor: transfers in date order, each checked alone and against the rules over many transfers.

    >>> with Monitor(load_rules()) as monitor:
    ...     for transfer in transfers:                 # in date order
    ...         result = monitor.observe(transfer)     # result.decision, result.findings, result.verdict
    ...     monitor.save("monitor-state.json")

Which item counts toward a cap, and how much, is decided here in Python: ``match`` is evaluated by the native
engine's nodes in three-valued logic (an item that may count, for want of facts, gives a ``review`` finding and is
not counted), and quantities are converted with decimal arithmetic. Running totals, windows and pattern joins
live in a durable-rules session (``sanctionsrules.monitor.memory``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sanctionsrules.engine.evaluator import CompiledRuleSet, compile_rules
from sanctionsrules.engine.facts import Context
from sanctionsrules.engine.nodes import Node
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri
from sanctionsrules.model.codes import Money, Quantity, convert_quantity
from sanctionsrules.model.transfer import GoodsItem, Party, Transfer
from sanctionsrules.monitor.aggregates import Cap, ShipToShip, SplitShipment, compile_aggregates
from sanctionsrules.monitor.errors import MonitorClosedError, OutOfOrderError, UndatedTransferError
from sanctionsrules.monitor.findings import AggregateFinding, MonitorResult, RunningTotal
from sanctionsrules.monitor.measure import amount_text, measure_quantity, measure_value, percent_text
from sanctionsrules.monitor.memory import WorkingMemory
from sanctionsrules.ruleset.rules import RuleSet
from sanctionsrules.verdict import Verdict

__all__ = ["Monitor", "party_key"]

_IDENTIFYING = ("imo", "un_ref", "registration", "national_id", "passport")
_Match = tuple[int, GoodsItem, Tri, tuple[str, ...], tuple[str, ...]]


def party_key(party: Party) -> str:
    """Who a party is, for grouping: its strongest identifier (IMO number first), else its name and country."""
    for scheme in _IDENTIFYING:
        for identifier in party.identifiers:
            if identifier.scheme == scheme:
                return f"{scheme}:{identifier.value.strip().casefold()}"
    return f"name:{' '.join(party.name.casefold().split())}|{party.country or party.flag or ''}"


class Monitor:
    """Feed transfers in date order; get each one's decision and the aggregate findings it triggers.

    One monitor is one durable-rules session (not thread-safe; one per stream). ``close()`` (or leaving a
    ``with`` block) deletes its working memory; ``save(path)`` first if it should carry on later
    (``Monitor.restore(path, rules)``).
    """

    def __init__(self, rules: RuleSet | CompiledRuleSet) -> None:
        self.rules: CompiledRuleSet = rules if isinstance(rules, CompiledRuleSet) else compile_rules(rules)
        self.aggregates = compile_aggregates(self.rules.ruleset, self.rules.designations)
        self._caps = {a.id: a for a in self.aggregates if isinstance(a, Cap)}
        self._memory = WorkingMemory()
        self._last: dt.date | None = None
        self._seen = 0
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------------------------
    @property
    def digest(self) -> str:
        """The digest of the rule set this monitor applies (a saved state is tied to it)."""
        return self.rules.digest

    @property
    def last_date(self) -> dt.date | None:
        """The date of the last transfer observed."""
        return self._last

    @property
    def observed(self) -> int:
        """How many transfers have been observed (restored states included)."""
        return self._seen

    def close(self) -> None:
        """Delete the working memory. Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self._memory.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, path: str | Path) -> None:
        """Write the state (running totals, windows, pattern candidates) to ``path`` as JSON."""
        from sanctionsrules.monitor.state import save_state

        self._check_open()
        save_state(self, self._memory.dump(), Path(path))

    @classmethod
    def restore(cls, path: str | Path, rules: RuleSet | CompiledRuleSet) -> Monitor:
        """A monitor that carries on from a saved state. Raises ``MonitorStateError`` for a state made with
        another rule set (by digest) or one that cannot be read."""
        from sanctionsrules.monitor.state import read_state

        monitor = cls(rules)
        try:
            state = read_state(Path(path), monitor.digest)
            monitor._memory.load(state.memory)
        except BaseException:
            monitor.close()
            raise
        monitor._last, monitor._seen = state.last_date, state.observed
        return monitor

    def _check_open(self) -> None:
        if self._closed:
            raise MonitorClosedError("this monitor is closed; its working memory is gone")

    # -- observing -------------------------------------------------------------------------------------------
    def observe(self, transfer: Transfer) -> MonitorResult:
        """Check ``transfer`` alone and against every aggregate in force on its date.

        Raises ``UndatedTransferError`` for a transfer without a date and ``OutOfOrderError`` for one dated
        before the last transfer seen; neither changes the state. ``InputError`` (an unknown goods category)
        is raised by the single-transfer check, before anything is counted.
        """
        self._check_open()
        on = transfer.date
        if on is None:
            raise UndatedTransferError(f"transfer {transfer.id!r} has no date: the monitor counts by date")
        if self._last is not None and on < self._last:
            raise OutOfOrderError(
                f"transfer {transfer.id!r} is dated {on}, before {self._last} (the last transfer seen): "
                "transfers must come in date order; it was not counted"
            )
        decision = self.rules.check(transfer)
        self._memory.advance(on)
        self._last = on
        findings: list[AggregateFinding] = []
        for aggregate in self.aggregates:
            if not aggregate.in_force(on):
                continue
            if isinstance(aggregate, Cap):
                self._cap(aggregate, transfer, on, findings)
            elif isinstance(aggregate, SplitShipment):
                self._split(aggregate, transfer, on, findings)
            else:
                self._ship_to_ship(aggregate, transfer, on, findings)
        self._seen += 1
        return MonitorResult(decision, tuple(findings))

    def observe_many(self, transfers: Iterable[Transfer]) -> Iterator[MonitorResult]:
        """``observe`` each transfer in turn."""
        for transfer in transfers:
            yield self.observe(transfer)

    def totals(self) -> tuple[RunningTotal, ...]:
        """Every cap's running totals by group and period, as they stand after the last transfer."""
        self._check_open()
        order = {cap_id: i for i, cap_id in enumerate(self._caps)}
        out = []
        for fact in self._memory.totals():
            cap = self._caps.get(str(fact["rule"]))
            if cap is None:
                continue
            period = fact["period"] or f"in the {fact['window']} to {self._last}"
            out.append(RunningTotal(cap.id, cap.label, fact["group"], period, Decimal(fact["amount"]), cap.limit,
                                    cap.unit, cap.notices, cap.stop_at))
        return tuple(sorted(out, key=lambda t: (order[t.rule], t.period, t.group)))

    # -- caps ------------------------------------------------------------------------------------------------
    def _cap(self, cap: Cap, transfer: Transfer, on: dt.date, findings: list[AggregateFinding]) -> None:
        for index, item, outcome, because, missing in _matches(cap.match, cap.per_item, transfer, on):
            head: dict[str, Any] = {"rule": cap.id, "kind": "cap", "basis": cap.basis, "title": cap.title,
                                    "item": index}
            if outcome == UNKNOWN:
                findings.append(AggregateFinding(
                    **head, verdict=Verdict.REVIEW, because=because, missing=missing,
                    message=f"may count toward {cap.label}; not counted: {'; '.join(missing)}"))
                continue
            amount, note = _measure(cap, item)
            group = _group(cap.group_by, transfer)
            if amount is None or isinstance(group, str):
                why = note if amount is None else f"{group} (the cap is counted per {', '.join(cap.group_by)})"
                findings.append(AggregateFinding(
                    **head, verdict=Verdict.REVIEW, because=because, missing=(why,),
                    message=f"counts toward {cap.label} but was not counted: {why}"))
                continue
            group_key, group_words = group
            period_key, period_words, expires = cap.period.place(on, cap.start, cap.end)
            rolling = expires is not None
            before, after = self._memory.count(
                key=f"{cap.id}|{group_key}|{period_key}", amount=amount, expires=expires, rule=cap.id,
                group=group_words, period="" if rolling else period_words, window=cap.period.window if rolling else "",
            )
            findings.append(_cap_finding(cap, head, because, note, amount, before, after, group_words, period_words))

    # -- patterns --------------------------------------------------------------------------------------------
    def _split(self, pattern: SplitShipment, transfer: Transfer, on: dt.date,
               findings: list[AggregateFinding]) -> None:
        sender, recipient = transfer.sender, transfer.recipient
        if sender is None or recipient is None:
            return  # the pattern is about the same two parties: unknown parties cannot be matched
        threshold = pattern.threshold
        limit_text = _money_or_quantity(threshold)
        for index, item, outcome, because, _missing in _matches(pattern.match, pattern.per_item, transfer, on):
            code = item.hs_code
            amount = _in_threshold_unit(threshold, item)
            if outcome != TRUE or code is None or len(code) < 4 or amount is None or amount >= threshold.amount:
                continue  # a pattern takes definite matches only; a shipment at the threshold is not split
            heading = code[:4]
            earlier = self._memory.ship(
                key=f"{pattern.id}|{party_key(sender)}|{party_key(recipient)}|{heading}", on=on,
                window_days=pattern.window_days, amount=amount, transfer=transfer.id, item=index,
            )
            transfers = tuple(dict.fromkeys([*(str(f["transfer"]) for f in earlier), transfer.id]))
            total = sum((Decimal(f["amount"]) for f in earlier), amount)
            if len(transfers) < pattern.min_transfers or total < threshold.amount:
                continue
            unit = threshold.currency if isinstance(threshold, Money) else threshold.unit
            shipments = [f"{f['transfer']} on {dt.date.fromordinal(f['date'])}: {amount_text(Decimal(f['amount']))} "
                         f"{unit}" for f in earlier]
            shipments.append(f"{transfer.id} on {on}: {amount_text(amount)} {unit}")
            findings.append(AggregateFinding(
                rule=pattern.id, kind="split_shipment", verdict=pattern.verdict, basis=pattern.basis,
                title=pattern.title, item=index, transfers=transfers,
                because=(*because, *shipments),
                message=(f"possible split shipment: {len(transfers)} shipments of HS {heading} from {sender.name} to "
                         f"{recipient.name} within {pattern.window_days} days, each under {limit_text}, "
                         f"{amount_text(total)} {unit} together: {', '.join(transfers)}"),
            ))

    def _ship_to_ship(self, pattern: ShipToShip, transfer: Transfer, on: dt.date,
                      findings: list[AggregateFinding]) -> None:
        # Onward first: a transfer never chains with itself.
        if pattern.onward is None or _holds(pattern.onward, transfer, on):
            vessels = {party_key(p): p for p in (transfer.sender, transfer.carrier) if p is not None}
            for key, vessel in vessels.items():
                for first in self._memory.onward(key=f"{pattern.id}|{key}", on=on, transfer=transfer.id):
                    then = dt.date.fromordinal(first["date"])
                    findings.append(AggregateFinding(
                        rule=pattern.id, kind="ship_to_ship", verdict=pattern.verdict, basis=pattern.basis,
                        title=pattern.title, transfers=(str(first["transfer"]), transfer.id),
                        because=(f"{first['transfer']} on {then}: {vessel.name} took goods from {first['source']}",
                                 f"{transfer.id} on {on}: {vessel.name} carries goods onward, "
                                 f"{(on - then).days} days later (window {pattern.window_days} days)"),
                        message=(f"possible ship-to-ship evasion: {vessel.name} took goods from {first['source']} "
                                 f"in {first['transfer']} on {then} and carries goods onward in {transfer.id}"),
                    ))
        recipient = transfer.recipient
        if recipient is not None and _holds(pattern.match, transfer, on, per_item=pattern.per_item):
            sender = transfer.sender or transfer.carrier
            source = "an unnamed vessel" if sender is None else \
                f"{sender.name}" + (f" (flag {sender.flag})" if sender.flag else "")
            self._memory.first_leg(key=f"{pattern.id}|{party_key(recipient)}", on=on,
                                   window_days=pattern.window_days, transfer=transfer.id, source=source)


# -- helpers ---------------------------------------------------------------------------------------------------
def _matches(node: Node, per_item: bool, transfer: Transfer, on: dt.date) -> Iterator[_Match]:
    """Each goods item with the condition's outcome (TRUE or UNKNOWN) and its explanation."""
    if not per_item:
        ctx = Context(transfer, None, None, on)
        outcome = node.value(ctx)
        if outcome == FALSE:
            return
        because: list[str] = []
        missing: list[str] = []
        node.explain(ctx, because, missing)
        for index, item in enumerate(transfer.goods):
            yield index, item, outcome, tuple(because), tuple(missing)
        return
    for index, item in enumerate(transfer.goods):
        ctx = Context(transfer, item, index, on)
        outcome = node.value(ctx)
        if outcome == FALSE:
            continue
        because, missing = [], []
        node.explain(ctx, because, missing)
        yield index, item, outcome, tuple(dict.fromkeys(because)), tuple(dict.fromkeys(missing))


def _holds(node: Node, transfer: Transfer, on: dt.date, *, per_item: bool = False) -> bool:
    if not per_item:
        return node.value(Context(transfer, None, None, on)) == TRUE
    return any(node.value(Context(transfer, item, i, on)) == TRUE for i, item in enumerate(transfer.goods))


def _measure(cap: Cap, item: GoodsItem) -> tuple[Decimal | None, str]:
    if cap.measure == "quantity":
        if item.quantity is None:
            return None, "the item's quantity is not given"
        return measure_quantity(item.quantity, cap.unit, dict(cap.factors))
    if item.value is None:
        return None, "the item's value is not given"
    return measure_value(item.value, cap.unit)


def _group(keys: tuple[str, ...], transfer: Transfer) -> tuple[str, str] | str:
    """The group's key and words (`` from CN``), or the name of the fact that is missing."""
    parts: list[str] = []
    words: list[str] = []
    for key in keys:
        if key in ("supplying_state", "receiving_state", "origin", "destination"):
            party = transfer.sender if key == "supplying_state" else transfer.recipient
            value = getattr(transfer, key) if key in ("origin", "destination") else (party.country if party else None)
            fact = {"supplying_state": "sender.country", "receiving_state": "recipient.country"}.get(key, key)
            if value is None:
                return f"{fact} is not given"
            parts.append(value)
            words.append(f"{'from' if key in ('supplying_state', 'origin') else 'to'} {value}")
        else:
            named = transfer.sender if key == "sender" else transfer.recipient
            if named is None:
                return f"{key} is not given"
            parts.append(party_key(named))
            words.append(f"{'from' if key == 'sender' else 'to'} {named.name}")
    return "|".join(parts), (f" ({', '.join(words)})" if words else "")


def _cap_finding(cap: Cap, head: dict[str, Any], because: tuple[str, ...], note: str, amount: Decimal,
                 before: Decimal, after: Decimal, group_words: str, period_words: str) -> AggregateFinding:
    limit, unit = cap.limit, cap.unit
    crossed = tuple(n for n in cap.notices if before < limit * n <= after)
    verdict = Verdict.PERMITTED
    status: list[str] = []
    reasons: list[str] = []
    if cap.stop_at is not None and before >= limit * cap.stop_at:
        verdict = cap.verdict
        status.append(f"supply stopped at {percent_text(cap.stop_at)}")
        reasons.append(f"the total had reached {percent_text(cap.stop_at)} of the limit "
                       f"({amount_text(limit * cap.stop_at)} {unit}) before this delivery: supply must stop "
                       f"for the rest of the period")
    if after > limit:
        verdict = cap.verdict
        status.append("over the limit")
        reasons.append(f"this delivery takes the total past the limit of {amount_text(limit)} {unit}")
    if crossed:
        names = " and ".join(percent_text(n) for n in crossed)
        status.insert(0, f"{names} notice" + ("s" if len(crossed) > 1 else ""))
    if cap.stop_at is not None and before < limit * cap.stop_at <= after and after <= limit:
        status.append(f"{percent_text(cap.stop_at)} reached: supply after this delivery is {cap.verdict}")
    message = (f"{cap.label}{group_words} {period_words}: {amount_text(after)} of {amount_text(limit)} {unit}, "
               f"{percent_text(after / limit, floor=True)}")
    if status:
        message += ": " + "; ".join(status)
    counted = f"counted {amount_text(amount)} {unit}: {amount_text(before)} + {amount_text(amount)} = " \
              f"{amount_text(after)} {unit}"
    return AggregateFinding(
        **head, verdict=verdict, message=message,
        because=(*because, *([note] if note else []), counted, *reasons),
        total=after, limit=limit, unit=unit, notices=crossed, group=group_words.strip(" ()") or None,
        period=period_words,
    )


def _in_threshold_unit(threshold: Money | Quantity, item: GoodsItem) -> Decimal | None:
    if isinstance(threshold, Money):
        value = item.value
        return value.amount if value is not None and value.currency == threshold.currency else None
    quantity = item.quantity
    return None if quantity is None else convert_quantity(quantity.amount, quantity.unit, threshold.unit)


def _money_or_quantity(value: Money | Quantity) -> str:
    if isinstance(value, Money):
        return f"{value.currency} {amount_text(value.amount)}"
    return f"{amount_text(value.amount)} {value.unit}"

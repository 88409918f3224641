"""durable-rules (a Rete engine in C) behind one module: sessions for the monitor, and a second engine for rules.

This is the only module that imports durable-rules, and it does so on first use: ``import sanctionsrules``, the
native engine and the rule loader never load it, and a copy installed without the ``durable`` extra raises
``DurableUnavailableError`` (a ``SanctionsRulesError``) only when a session is opened.

What the Rete engine does here, and what stays Python
-----------------------------------------------------
Rete is good at keeping facts in working memory and at *joins*: "a fact of this kind whose key equals that
fact's key and whose date lies in its window". It has no arithmetic worth the name (no accumulate, doubles only)
and no three-valued logic. So:

- the monitor (``sanctionsrules.monitor``) keeps its running totals, its held deliveries and its pattern
  candidates as facts in one session, and lets rules find them: a delivery joins the total of its group, a clock
  fact expires what has left its window, a shipment joins the earlier shipments of the same pair, an onward
  voyage joins the ship-to-ship transfer that fed the vessel. The rule *actions* are Python: exact decimal sums,
  unit conversion and the wording of findings never go through doubles.
- ``DurableRuleSet`` compiles a rule set's single-transfer rules to Rete conditions (see its docstring); Python
  flattens a transfer into facts first (taxonomy closures, HS prefixes, designation look-ups), so that each Rete
  test is an equality, a comparison or a membership.

durable-rules traps, each met while writing this module (durable-rules 2.0.28)
---------------------------------------------------------------------------
- ``assert_fact`` raises ``MessageNotHandledException`` when no rule's condition takes the fact: for most
  transfers that is the normal "no finding" path. It is caught here, and only here. Such a fact is not kept
  either: every fact the monitor must remember is one some rule takes.
- Events (``post``) are consumed by the first rule that takes them; facts stay until retracted, so every rule
  sees every fact. Only facts are used. The batch call ``assert_facts`` is never used: it drops the actions of a
  batch whose last fact matches nothing.
- An ``$or`` inside an ``$and`` is expanded by the engine into one rule path per alternative, and each path
  fires: the action runs once per true alternative, and hundreds of alternatives hang the engine. Conditions are
  expanded here instead (into at most ``MAX_PATHS`` rules per rule id) and matches are collected in a set;
  membership in a set of values is one ``$iany`` test on a list, which the engine evaluates as one condition.
- The engine walks its alpha network with a fixed stack of 64 pending nodes: a fact that passes a test followed by
  more than 64 non-equality tests fails with error 303 (``ERR_MAX_STACK_SIZE``). Pending nodes root disjoint
  subtrees, each ending in a rule, so a ruleset of at most 63 rule paths cannot overflow: the compiled rules are
  spread over rulesets of ``SHARD_PATHS`` paths.
- ``$nex`` (``-m.field``, "field absent") hangs the engine: absence is written as explicit count and
  unknown fields. ``$iall`` over an empty list is false: every list carries a sentinel ``""``. ``$ex`` holds for
  a field set to null: absent values are left out of a fact, never written as null.
- The default host (``durable.lang.get_host()``) runs two timer threads that dispatch pending actions every
  0.2 s; an action can then run on that thread, after ``assert_fact`` has returned (seen once in 200,000 asserts).
  Sessions here live on a host without those threads, so every action runs inside the call that caused it.
- ``delete_state`` crashes the process (SIGSEGV) for a session in which no action has ever run. Every session
  here starts with an ``open`` fact whose rule runs an empty action.
- An exception raised in an action is swallowed into the session state's ``exception`` key. Actions here are
  wrapped: the first error is kept and raised to the caller as ``DurableActionError`` after the call.
- Two facts with the same content are one fact (``MessageObservedException``): facts carry a sequence number.
- A ruleset cannot be unregistered through the public API, and each registered ruleset's name must be unique per
  host; names here carry a uuid, and ``close()`` deletes the session state and releases the ruleset.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sanctionsrules.engine.designations import DesignationSource
from sanctionsrules.engine.facts import Context, values_getter_for
from sanctionsrules.errors import InputError, Problem, SanctionsRulesError
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN
from sanctionsrules.model.codes import Money, Quantity, convert_quantity
from sanctionsrules.model.transfer import KINDS_WITHOUT_GOODS, GoodsItem, Transfer
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test, Use
from sanctionsrules.ruleset.facts import FACTS
from sanctionsrules.ruleset.rules import Rule, RuleSet
from sanctionsrules.ruleset.taxonomy import Taxonomy

__all__ = [
    "MAX_PATHS",
    "SHARD_PATHS",
    "ActionContext",
    "DurableActionError",
    "DurableRefusedError",
    "DurableRuleSet",
    "DurableSession",
    "DurableUnavailableError",
    "RuleSpec",
]

Json = dict[str, Any]
MAX_PATHS: Final = 48  # rule paths one rule may expand into; a rule that needs more is left to the native engine
SHARD_PATHS: Final = 56  # rule paths per registered ruleset: the engine's alpha walk holds at most 64 pending nodes
_SENTINEL: Final = ""  # never a country, token, category, HS prefix or case-folded name


class DurableUnavailableError(SanctionsRulesError, ImportError):
    """durable-rules is not installed (``pip install 'sanctionsrules[durable]'``)."""


class DurableActionError(SanctionsRulesError, RuntimeError):
    """A rule action raised inside durable-rules; the session may hold a partial update. Fail closed."""


class DurableRefusedError(SanctionsRulesError, ValueError):
    """durable-rules refused to compile a ruleset (its C parser's error code is in the message)."""


# -- host and sessions ---------------------------------------------------------------------------------------
_HOST: Any = None
_HOST_LOCK = threading.RLock()  # guards the host's ruleset registry (several monitors may live in several threads)


def _modules() -> tuple[Any, Any]:
    """durable-rules' Python engine module and its C extension (which ``durable.engine`` imports)."""
    try:
        from durable import engine
    except ImportError as exc:  # pragma: no cover - the test extra installs durable-rules
        raise DurableUnavailableError(
            "the monitor and the durable engine need durable-rules: pip install 'sanctionsrules[durable]'"
        ) from exc
    return engine, engine.durable_rules_engine


def _host() -> Any:
    """One host per process, without the dispatch threads of ``durable.lang.get_host()`` (see the docstring)."""
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            engine, _ = _modules()

            class _QuietHost(engine.Host):  # type: ignore[misc,name-defined]
                def _run(self) -> None:
                    # No timer threads: actions run only inside the assert or retract that queued them.
                    return None

            _HOST = _QuietHost()
        return _HOST


class ActionContext:
    """What a rule action sees: the facts that matched (by alias) and a way to change working memory."""

    __slots__ = ("_closure", "_ignored")

    def __init__(self, closure: Any, ignored: tuple[type[BaseException], ...]) -> None:
        self._closure = closure
        self._ignored = ignored

    @property
    def facts(self) -> Mapping[str, Json]:
        """The matched facts, by the alias their condition was given (``m`` for a one-fact rule)."""
        matched: Mapping[str, Json] = self._closure._m
        return matched

    def assert_fact(self, fact: Json) -> None:
        """Add a fact; the rules it completes run after this action, inside the same outer call."""
        with contextlib.suppress(*self._ignored):
            self._closure.assert_fact(fact)

    def retract_fact(self, fact: Json) -> None:
        """Remove a fact (as it was matched: the ``sid`` durable-rules added is part of it)."""
        with contextlib.suppress(*self._ignored):
            self._closure.retract_fact(fact)


Action = Callable[[ActionContext], None]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One durable-rules rule: its ``all`` conditions in the engine's JSON form, and the action it runs."""

    conditions: tuple[Json, ...]
    action: Action


class _Registered:
    """A ruleset registered on the host under a unique name. Not thread-safe: callers hold ``lock``."""

    def __init__(self, prefix: str, rules: Mapping[str, RuleSpec]) -> None:
        engine, native = _modules()
        self._native = native
        self._host = _host()
        self.name = f"{prefix}-{uuid.uuid4().hex}"
        self.lock = threading.RLock()
        self._error: BaseException | None = None
        self._not_handled: type[BaseException] = engine.MessageNotHandledException
        self._observed: type[BaseException] = engine.MessageObservedException
        definitions: dict[str, Json] = {
            # The session opener: running one action makes delete_state safe (see the module docstring).
            "_open": {"all": [{"m": {"_t": "_open"}}], "run": self._wrap(_nothing)},
        }
        for rule_name, spec in rules.items():
            definitions[rule_name] = {"all": [dict(c) for c in spec.conditions], "run": self._wrap(spec.action)}
        try:
            with _HOST_LOCK:
                self._host.register_rulesets({self.name: definitions})
        except native.error as exc:
            raise DurableRefusedError(f"durable-rules refused the ruleset: {exc}") from exc

    def _wrap(self, action: Action) -> Callable[[Any], None]:
        ignored = (self._not_handled,)

        def run(closure: Any) -> None:
            if self._error is not None:
                return  # a failed call: let the engine drain its agenda without doing more
            try:
                action(ActionContext(closure, ignored))
            except BaseException as exc:  # kept, and raised to the caller once the engine call returns
                self._error = exc

        return run

    def call(self, method: str, fact: Json) -> bool:
        """Assert or retract ``fact``; False when no rule took it. Raises what an action raised."""
        handled = True
        try:
            getattr(self._host, method)(self.name, fact)
        except self._not_handled:
            handled = False
        except self._observed as exc:
            raise DurableActionError(f"durable-rules refused a duplicate fact: {fact}") from exc
        if self._error is not None:
            error, self._error = self._error, None
            raise DurableActionError(f"a rule action failed: {error!r}") from error
        return handled

    def open(self, sid: str) -> None:
        self.call("assert_fact", {"sid": sid, "_t": "_open"})

    def facts(self, sid: str) -> list[Json]:
        found: list[Json] = self._host.get_facts(self.name, sid)
        return [f for f in found if f.get("_t") != "_open"]

    def delete(self, sid: str) -> None:
        self._host.delete_state(self.name, sid)

    def release(self) -> None:
        # durable-rules has no public way to unregister a ruleset; without this a process that opens many
        # monitors keeps every compiled network. The host here runs no threads, so nothing iterates meanwhile.
        host = self._host
        with _HOST_LOCK:
            registered = host._ruleset_directory.pop(self.name, None)
            if registered is not None:
                host._ruleset_list.remove(registered)
                self._native.delete_ruleset(registered._handle)


def _nothing(context: ActionContext) -> None:
    return None


class DurableSession:
    """One ruleset and one session of facts in it: the working memory of one monitor.

    Use as a context manager or call ``close()``: that deletes the session's facts and releases the ruleset.
    """

    def __init__(self, rules: Mapping[str, RuleSpec], *, prefix: str = "sanctionsrules") -> None:
        self._registered = _Registered(prefix, rules)
        self.sid = "s0"
        self._closed = False
        self._registered.open(self.sid)

    @property
    def name(self) -> str:
        """The ruleset's unique name on the host."""
        return self._registered.name

    def assert_fact(self, fact: Json) -> bool:
        """Add ``fact``; its rules' actions have all run when this returns. False when no rule took it."""
        self._check_open()
        with self._registered.lock:
            return self._registered.call("assert_fact", {**fact, "sid": self.sid})

    def retract_fact(self, fact: Json) -> None:
        """Remove ``fact`` (given as asserted)."""
        self._check_open()
        with self._registered.lock:
            self._registered.call("retract_fact", {**fact, "sid": self.sid})

    def facts(self) -> list[Json]:
        """Every fact in working memory, without the ``sid`` key."""
        self._check_open()
        with self._registered.lock:
            return [{k: v for k, v in f.items() if k != "sid"} for f in self._registered.facts(self.sid)]

    def close(self) -> None:
        """Delete the session's facts and release the ruleset. Closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        with self._registered.lock:
            try:
                self._registered.delete(self.sid)
            finally:
                self._registered.release()

    def _check_open(self) -> None:
        if self._closed:
            raise SanctionsRulesError("this durable-rules session is closed")

    def __enter__(self) -> DurableSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the second engine ---------------------------------------------------------------------------------------
class _Untranslatable(Exception):
    """A rule the Rete compilation cannot express faithfully; it stays with the native engine."""


# A condition before expansion: ("leaf", json) | ("and", parts) | ("or", parts) | ("true",) | ("false",)
Expr = tuple[Any, ...]
_TRUE: Final[Expr] = ("true",)
_FALSE: Final[Expr] = ("false",)
_NEGATED = {"gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt", "eq": "$neq"}
_DIRECT = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "eq": "$eq"}


def _and(*parts: Expr) -> Expr:
    if any(p == _FALSE for p in parts):
        return _FALSE
    kept = tuple(p for p in parts if p != _TRUE)
    return kept[0] if len(kept) == 1 else ("and", kept) if kept else _TRUE


def _or(*parts: Expr) -> Expr:
    if any(p == _TRUE for p in parts):
        return _TRUE
    kept = tuple(p for p in parts if p != _FALSE)
    return kept[0] if len(kept) == 1 else ("or", kept) if kept else _FALSE


def _leaf(json: Json) -> Expr:
    return ("leaf", json)


def _compare(op: str, field: str, value: Any) -> Expr:
    if op == "$eq":
        return _leaf({field: value})
    return _leaf({op: {field: value}})


def _any_of(field: str, values: Iterable[str]) -> Expr:
    """The list ``field`` holds one of ``values``: one ``$iany`` test, however many values."""
    items = [{"$i": v} for v in sorted(values)]
    return _leaf({"$iany": {field: items[0] if len(items) == 1 else {"$or": items}}})


def _none_of(field: str, values: Iterable[str]) -> Expr:
    """The list ``field`` holds none of ``values`` (lists carry a sentinel, so ``$iall`` never sees [])."""
    items = [{"$neq": {"$i": v}} for v in sorted(values)]
    return _leaf({"$iall": {field: items[0] if len(items) == 1 else {"$and": items}}})


def _paths(expr: Expr) -> list[list[Json]]:
    """Disjunctive normal form: each path is a conjunction of leaves; at most MAX_PATHS of them."""
    tag = expr[0]
    if tag == "true":
        return [[]]
    if tag == "false":
        return []
    if tag == "leaf":
        return [[expr[1]]]
    if tag == "or":
        out: list[list[Json]] = []
        for part in expr[1]:
            out += _paths(part)
            if len(out) > MAX_PATHS:
                raise _Untranslatable(f"its condition expands into more than {MAX_PATHS} rule paths")
        return out
    product: list[list[Json]] = [[]]
    for part in expr[1]:
        product = [left + right for left in product for right in _paths(part)]
        if len(product) > MAX_PATHS:
            raise _Untranslatable(f"its condition expands into more than {MAX_PATHS} rule paths")
    return product


def _field(fact: str) -> str:
    return fact.replace(".", "_")


def _ordinal(value: Any) -> int:
    assert isinstance(value, dt.date)
    return value.toordinal()


class _Flattener:
    """Which fields the compiled rules read, and how to compute them from a transfer and an item."""

    def __init__(self, taxonomy: Taxonomy, designations: DesignationSource) -> None:
        self.taxonomy = taxonomy
        self.designations = designations
        self.transfer_fields: dict[str, Callable[[Context, Json], None]] = {}
        self.item_fields: dict[str, Callable[[Context, Json], None]] = {}
        self.units: set[str] = set()
        self.party_tests: dict[frozenset[str], int] = {}
        self._goods_memo: dict[tuple[str | None, str | None], Json] = {}

    def need(self, fact: str, kind: str) -> str:
        """Register a field group for ``fact`` and return its base field name."""
        spec = FACTS[fact]
        base = _field(fact)
        table = self.item_fields if spec.item else self.transfer_fields
        key = f"{base}:{kind}"
        if key in table:
            return base
        getter = values_getter_for(fact)
        if kind == "values":
            fold = spec.type == "text"

            def values(ctx: Context, out: Json) -> None:
                known, unknown = [], 0
                for value in getter(ctx):
                    if value is None:
                        unknown = 1
                    else:
                        known.append(str(value).casefold() if fold else str(value))
                out[base] = [*known, _SENTINEL]
                out[f"{base}__n"] = len(known)
                out[f"{base}__u"] = unknown

            table[key] = values
        elif kind == "scalar":  # dates and the presence of money and quantities

            def scalar(ctx: Context, out: Json) -> None:
                (value,) = getter(ctx)
                out[f"{base}__n"] = 0 if value is None else 1
                if isinstance(value, dt.date):
                    out[f"{base}__v"] = value.toordinal()
                elif isinstance(value, Money):
                    out[f"{base}__cur"] = value.currency
                    out[f"{base}__amt"] = float(value.amount)  # doubles: see DurableRuleSet's docstring
                elif isinstance(value, Quantity):
                    for unit in sorted(self.units):
                        converted = convert_quantity(value.amount, value.unit, unit)
                        if converted is not None:
                            out[f"{base}__{unit}"] = float(converted)

            table[key] = scalar
        elif kind == "goods":
            table[key] = self._goods
        else:
            raise AssertionError(kind)  # pragma: no cover
        return base

    def party_test(self, fact: str, regimes: frozenset[str]) -> str:
        """Fields ``<base>__d<i>`` (one party is designated) and ``<base>__nd<i>`` (every party is known and not)."""
        index = self.party_tests.setdefault(regimes, len(self.party_tests))
        base = _field(fact)
        key = f"{base}:designated:{index}"
        if key not in self.transfer_fields:
            getter = values_getter_for(fact)
            source = self.designations

            # A designation source is a Python look-up (a list, name screening): it runs while the transfer is
            # flattened, and the Rete test is a flag. Three-valued answers keep both flags at 0 (UNKNOWN).
            def designated(ctx: Context, out: Json) -> None:
                outcomes = [UNKNOWN if p is None else source.check(p, regimes, ctx.on)[0] for p in getter(ctx)]
                out[f"{base}__d{index}"] = int(TRUE in outcomes)
                out[f"{base}__nd{index}"] = int(all(o == FALSE for o in outcomes))

            self.transfer_fields[key] = designated
        return base

    def _goods(self, ctx: Context, out: Json) -> None:
        item = ctx.item
        code = item.hs_code if item is not None else None
        category = item.category if item is not None else None
        key = (code, category)
        fields = self._goods_memo.get(key)
        if fields is None:
            fields = self._goods_memo[key] = self._goods_fields(code, category)
        out.update(fields)

    def _goods_fields(self, code: str | None, category: str | None) -> Json:
        # Taxonomy closures, computed once per (code, category): category and HS tests become list membership.
        taxonomy = self.taxonomy
        by_code: set[str] = set()  # categories every good under this code belongs to (and their ancestors)
        code_related: set[str] = set()  # categories a good under this code might belong to
        if code is not None:
            for name in taxonomy.names():
                own = taxonomy.categories[name]
                if own.defined_by_hs and any(code.startswith(h) for h in own.hs):
                    by_code |= _ancestors(taxonomy, name)
                if any(code.startswith(h) or h.startswith(code) for h in taxonomy.effective_hs(name)):
                    code_related |= _ancestors(taxonomy, name)
        if category is not None:
            true_set = _ancestors(taxonomy, category) | by_code
            maybe_set = _related(taxonomy, category) | by_code
        else:
            true_set, maybe_set = by_code, code_related | by_code
        # HS tests read the item's code, or the one code its category is classified under (a category with
        # several codes is left unknown here; the native engine may still decide it: see DurableRuleSet).
        effective = code
        if effective is None and category is not None and len(taxonomy.effective_hs(category)) == 1:
            effective = taxonomy.effective_hs(category)[0]
        fields: Json = {
            "item_category": [*sorted(true_set), _SENTINEL],
            "item_category__maybe": [*sorted(maybe_set), _SENTINEL],
            "item_category__known": int(category is not None or code is not None),
            "item_category__n": int(category is not None),
            "item_hs_code": [*(effective[:k] for k in range(2, len(effective) + 1)), _SENTINEL]
            if effective
            else [_SENTINEL],
            "item_hs_code__known": int(effective is not None),
            "item_hs_code__n": int(code is not None),
        }
        if effective is not None:
            fields["item_hs_code__v"] = effective
        return fields


def _ancestors(taxonomy: Taxonomy, name: str) -> set[str]:
    return {t for t in taxonomy.names() if taxonomy.is_a(name, t)}


def _related(taxonomy: Taxonomy, name: str) -> set[str]:
    # Targets t for which declared(name, {t}) is not FALSE: t shares a descendant with ``name``.
    return {t for t in taxonomy.names() if taxonomy.may_be(name, t)}


class _Translator:
    """Conditions to (definitely true, definitely false) expressions, following Kleene logic at the leaves."""

    def __init__(self, ruleset: RuleSet, flattener: _Flattener) -> None:
        self.ruleset = ruleset
        self.flat = flattener

    def rule(self, rule: Rule) -> Expr:
        true, _false = self.both(rule.condition, self.ruleset.defines[rule.regime], ())
        return true

    def both(self, condition: Condition, defines: Mapping[str, Condition], trail: tuple[str, ...]) -> tuple[Expr, Expr]:
        if isinstance(condition, Test):
            return self.test(condition)
        if isinstance(condition, All):
            pairs = [self.both(c, defines, trail) for c in condition.children]
            return _and(*(t for t, _ in pairs)), _or(*(f for _, f in pairs))
        if isinstance(condition, AnyOf):
            pairs = [self.both(c, defines, trail) for c in condition.children]
            return _or(*(t for t, _ in pairs)), _and(*(f for _, f in pairs))
        if isinstance(condition, Not):
            true, false = self.both(condition.child, defines, trail)
            return false, true  # not: definitely true where the child is definitely false, and back
        if isinstance(condition, Use):
            return self.both(defines[condition.name], defines, (*trail, condition.name))
        assert isinstance(condition, Claim)
        return self.claim(condition)

    def claim(self, claim: Claim) -> tuple[Expr, Expr]:
        self.flat.transfer_fields.setdefault("claims", _claims)
        wanted = {
            f"{k}|{a}|{'ref' if claim.needs_reference else 'any'}"
            for k in (claim.kinds or {"*"})
            for a in (claim.authorities or {"*"})
        }
        return _any_of("claims", wanted), _none_of("claims", wanted)

    def test(self, test: Test) -> tuple[Expr, Expr]:
        spec = FACTS[test.fact]
        op, operand = test.op, test.operand
        if op == "exists":
            present = self.presence(test.fact)
            absent = _compare("$eq", present, 0)
            there = _compare("$gt", present, 0)
            return (there, absent) if operand else (absent, there)
        if op == "designated":
            base = self.flat.party_test(test.fact, operand)
            index = self.flat.party_tests[operand]
            return _leaf({f"{base}__d{index}": 1}), _leaf({f"{base}__nd{index}": 1})
        if spec.type in ("country", "token", "text"):
            base = self.flat.need(test.fact, "values")
            values = {v.casefold() for v in operand} if spec.type == "text" else set(operand)
            # Definitely false: every value is known and none is in the set (no values at all is false too).
            return _any_of(base, values), _and(_leaf({f"{base}__u": 0}), _none_of(base, values))
        if spec.type == "category":
            self.flat.need(test.fact, "goods")
            return (
                _any_of("item_category", operand),
                _and(_leaf({"item_category__known": 1}), _none_of("item_category__maybe", operand)),
            )
        if spec.type == "hs_code":
            self.flat.need(test.fact, "goods")
            broader = {p[:k] for p in operand for k in range(2, len(p))}  # a code broader than a prefix: UNKNOWN
            false = _and(
                _leaf({"item_hs_code__known": 1}),
                _none_of("item_hs_code", operand),
                *(_compare("$neq", "item_hs_code__v", b) for b in sorted(broader)),
            )
            return _any_of("item_hs_code", operand), false
        base = self.flat.need(test.fact, "scalar")
        if spec.type == "date":
            value = _ordinal(operand)
            return _compare(_DIRECT[op], f"{base}__v", value), _compare(_NEGATED[op], f"{base}__v", value)
        if spec.type == "money":
            assert isinstance(operand, Money)
            same = _leaf({f"{base}__cur": operand.currency})  # another currency is UNKNOWN: no rate is guessed
            bound = float(operand.amount)
            return (
                _and(same, _compare(_DIRECT[op], f"{base}__amt", bound)),
                _and(same, _compare(_NEGATED[op], f"{base}__amt", bound)),
            )
        if spec.type == "quantity":
            assert isinstance(operand, Quantity)
            self.flat.units.add(operand.unit)  # a quantity that does not convert leaves the field out: UNKNOWN
            field, bound = f"{base}__{operand.unit}", float(operand.amount)
            return _compare(_DIRECT[op], field, bound), _compare(_NEGATED[op], field, bound)
        raise _Untranslatable(f"no Rete test for {test.fact} {op}")  # pragma: no cover - the catalogue is closed

    def presence(self, fact: str) -> str:
        spec = FACTS[fact]
        if spec.type in ("hs_code", "category"):
            self.flat.need(fact, "goods")
            return f"{_field(fact)}__n"
        if spec.type in ("date", "money", "quantity"):
            return f"{self.flat.need(fact, 'scalar')}__n"
        if spec.type == "party":
            # A party's presence: the same count a party-attribute field keeps, read through the party getter.
            base = _field(fact)
            getter = values_getter_for(fact)

            def parties(ctx: Context, out: Json) -> None:
                out[f"{base}__n"] = sum(1 for p in getter(ctx) if p is not None)

            self.flat.transfer_fields.setdefault(f"{base}:parties", parties)
            return f"{base}__n"
        return f"{self.flat.need(fact, 'values')}__n"


def _claims(ctx: Context, out: Json) -> None:
    tokens: set[str] = set()
    for claim in ctx.transfer.exemption_claims:
        refs = ("any", "ref") if claim.reference else ("any",)
        for kind in (claim.kind, "*"):
            for authority in (claim.authority, "*"):
                tokens.update(f"{kind}|{authority}|{ref}" for ref in refs)
    out["claims"] = [*sorted(tokens), _SENTINEL]


class DurableRuleSet:
    """A rule set's single-transfer rules compiled to durable-rules: an independent oracle for the native engine.

    ``check(transfer)`` returns the ``(rule id, item index)`` pairs whose condition is definitely TRUE, the
    matches the native engine reports with a TRUE outcome, before exemptions (an exempted finding is still a
    finding there). How it is built:

    - Python flattens a transfer into one fact per goods item (rules about goods) and one for the transfer, each
      holding the transfer-level fields the rules read: value lists with a count and an "unknown" flag for
      countries, tokens and names (multi-valued facts such as ``receiving_party.country`` are lists), each item's
      ancestor categories and the HS prefixes of its code (lengths 2 up to the code), dates as ordinals, money
      and quantities converted to the units the rules use.
    - Each condition becomes two expressions, "definitely true" and "definitely false", combined by Kleene's
      rules (``not`` swaps them; a ``not`` of a simple test is the negated comparison on a known value). The
      "definitely true" side is expanded into paths, each registered as one durable rule with the same id.
    - The transfer's date is a field, and each rule path tests its ``in_force`` range.

    Where the two engines cannot agree, by construction:

    - Three-valued logic: durable-rules has no UNKNOWN. Only TRUE findings are produced here; a native
      ``review`` for want of facts has no counterpart. TRUE agrees on any transfer, but the comparison is only
      promised for fully specified transfers.
    - Exemptions and claims: a claim inside a rule condition is translated; exemptions are not applied (compare
      ``rule_verdict`` TRUE findings, not verdicts).
    - Designations: the designation source is asked in Python while flattening (it cannot run in the Rete).
    - An item without an HS code, tested by HS code through a category that lists several codes: the native
      engine may decide it; here it stays unknown.
    - Amounts are doubles in the Rete: a value within a double's precision of a threshold may compare
      differently from the native decimal comparison.
    - A rule whose condition expands into more than ``MAX_PATHS`` paths is not compiled (listed in ``skipped``).

    Not thread-safe per instance beyond a lock: checks on one instance run one at a time. Close it (or use it as
    a context manager) to release the compiled network.
    """

    def __init__(self, ruleset: RuleSet, designations: DesignationSource | None = None) -> None:
        from sanctionsrules.engine.compiler import uses_item
        from sanctionsrules.engine.evaluator import default_designations

        self.ruleset = ruleset
        # The native engine's default source, so that both engines ask the same list.
        self._flat = _Flattener(ruleset.taxonomy, designations or default_designations())
        translator = _Translator(ruleset, self._flat)
        self.skipped: dict[str, str] = {}
        self._per_item: dict[str, bool] = {}
        grouped: dict[str, list[tuple[str, RuleSpec]]] = {"transfer": [], "item": []}
        for rule in ruleset.rules:
            try:
                paths = _paths(translator.rule(rule))
            except _Untranslatable as exc:
                self.skipped[rule.id] = str(exc)
                continue
            per_item = uses_item(rule.condition, ruleset.defines[rule.regime])
            self._per_item[rule.id] = per_item
            where = "item" if per_item else "transfer"
            scope = [{"_t": where}, {"$gte": {"_on": rule.start.toordinal()}}]
            if rule.end is not None:
                scope.append({"$lte": {"_on": rule.end.toordinal()}})
            for k, path in enumerate(paths):
                spec = RuleSpec(({"m": {"$and": scope + path}},), self._recorder(rule.id))
                grouped[where].append((f"{rule.id}#{k}", spec))
        self._needs_items = any(self._per_item.values())
        self._found: set[tuple[str, int | None]] = set()
        # Shards of at most SHARD_PATHS rule paths each (the engine's alpha walk overflows past 64 pending nodes).
        self._shards: list[tuple[str, _Registered]] = []
        for where, specs in grouped.items():
            for i in range(0, len(specs), SHARD_PATHS):
                self._shards += self._register(where, specs[i : i + SHARD_PATHS])
        for rule_id in self.skipped:
            self._per_item.pop(rule_id, None)
        self._lock = threading.Lock()
        self._checks = itertools.count()
        self._closed = False

    def _register(self, where: str, specs: list[tuple[str, RuleSpec]]) -> list[tuple[str, _Registered]]:
        # A ruleset the engine refuses is split until the rule it cannot take is found; that rule is left to
        # the native engine (listed in ``skipped``) and the others are compiled.
        try:
            return [(where, _Registered("sanctionsrules-rules", dict(specs)))]
        except DurableRefusedError as exc:
            if len(specs) == 1:
                self.skipped[specs[0][0].partition("#")[0]] = str(exc)
                return []
            half = len(specs) // 2
            return self._register(where, specs[:half]) + self._register(where, specs[half:])

    @property
    def compiled(self) -> tuple[str, ...]:
        """The ids of the rules this engine evaluates."""
        return tuple(self._per_item)

    def _recorder(self, rule_id: str) -> Action:
        def record(context: ActionContext) -> None:
            if rule_id not in self.skipped:  # a refused rule's other paths may have been compiled
                item = context.facts["m"]["_item"]
                self._found.add((rule_id, None if item < 0 else item))

        return record

    def check(self, transfer: Transfer, *, as_of: dt.date | None = None) -> frozenset[tuple[str, int | None]]:
        """The (rule id, item index) pairs definitely TRUE on ``transfer`` (item None: a whole-transfer rule).

        Raises ``InputError`` for a goods category the taxonomy does not know, as the native engine does.
        """
        if self._closed:
            raise SanctionsRulesError("this DurableRuleSet is closed")
        on = transfer.date or as_of or dt.date.today()
        taxonomy = self.ruleset.taxonomy
        for i, item in enumerate(transfer.goods):
            if item.category is not None and item.category not in taxonomy:
                raise InputError(
                    [Problem("unknown-category", f"unknown goods category {item.category!r}", f"$.goods[{i}].category")]
                )
        facts = self._facts(transfer, on)
        with self._lock:
            self._found = set()
            sid = f"c{next(self._checks)}"
            for where, shard in self._shards:
                mine = [fact for fact in facts if fact["_t"] == where]
                if not mine:
                    continue
                shard.open(sid)
                try:
                    for fact in mine:
                        shard.call("assert_fact", {**fact, "sid": sid})
                finally:
                    shard.delete(sid)  # one session per check, deleted afterwards
            return frozenset(self._found)

    def _facts(self, transfer: Transfer, on: dt.date) -> list[Json]:
        ctx = Context(transfer, None, None, on)
        base: Json = {"_on": on.toordinal()}
        for produce in self._flat.transfer_fields.values():
            produce(ctx, base)
        facts: list[Json] = [{**base, "_t": "transfer", "_item": -1}]
        if not self._needs_items:
            return facts
        goods: list[tuple[int, GoodsItem | None]] = list(enumerate(transfer.goods))
        if not goods:
            if transfer.kind in KINDS_WITHOUT_GOODS:
                return facts
            goods = [(-1, None)]  # goods unknown: one unknown item, as the native engine evaluates it
        for index, item in goods:
            ctx.item, ctx.item_index = item, (index if index >= 0 else None)
            fact: Json = {**base, "_t": "item", "_item": index}
            for produce in self._flat.item_fields.values():
                produce(ctx, fact)
            facts.append(fact)
        return facts

    def close(self) -> None:
        """Release the compiled network."""
        if not self._closed:
            self._closed = True
            with self._lock:
                for _where, shard in self._shards:
                    shard.release()

    def __enter__(self) -> DurableRuleSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""The monitor's lifecycle: save and restore, refusals, closing, many monitors in one process."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sanctionsrules import CompiledRuleSet, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations
from sanctionsrules.errors import SanctionsRulesError
from sanctionsrules.monitor import Monitor, MonitorClosedError, MonitorStateError

from .support import FIXTURE_RULES, transfer


def stream(start: int = 1) -> list:  # type: ignore[type-arg]
    day = dt.date(2019, 3, 1)
    out = [transfer(start + k, day + dt.timedelta(days=k), amount=45_000 + 1000 * k) for k in range(8)]
    # Small deliveries leave split-shipment candidates that must survive a restart, as the yearly total must.
    out += [transfer(start + 20 + k, day + dt.timedelta(days=10 + k), amount=999, recipient="Sinuiju Depot")
            for k in range(3)]
    return out


def run(monitor: Monitor, transfers: list) -> list[dict]:  # type: ignore[type-arg]
    return [monitor.observe(t).to_dict() for t in transfers]


def test_a_restarted_monitor_has_the_same_totals_and_carries_on_alike(
        rules: CompiledRuleSet, tmp_path: Path) -> None:
    # The restart falls between the small deliveries: the fourth completes a split shipment across it.
    whole = [*stream(), transfer(99, "2019-03-14", amount=999, recipient="Sinuiju Depot")]
    first, second = whole[:10], whole[10:]
    with Monitor(rules) as straight:
        expected = run(straight, first + second)
        expected_totals = straight.totals()
    state = tmp_path / "state.json"
    with Monitor(rules) as before:
        run(before, first)
        totals = before.totals()
        before.save(state)
    with Monitor.restore(state, rules) as after:
        assert after.totals() == totals
        assert (after.last_date, after.observed) == (dt.date(2019, 3, 12), 10)
        assert run(after, second) == expected[len(first):]  # the split shipment completes across the restart
        assert after.totals() == expected_totals
    assert any(f["kind"] == "split_shipment" for f in expected[-1]["aggregates"])


def test_the_state_is_json_tied_to_the_rule_set(fixture_rules: CompiledRuleSet, tmp_path: Path) -> None:
    state = tmp_path / "deep" / "state.json"
    with Monitor(fixture_rules) as monitor:
        run(monitor, stream())
        monitor.save(state)
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["format"] == "sanctionsrules-monitor-state/1"
    assert saved["ruleset"]["digest"] == fixture_rules.digest
    assert {f["t"] for f in saved["memory"]["facts"]} == {"clock", "total", "ship"}
    total = next(f for f in saved["memory"]["facts"] if f["t"] == "total")
    assert total["amount"] == "390997"  # 8 x 45,000 + 28,000 + 3 x 999
    assert not list(state.parent.glob(".state.json.*"))  # the temporary file was renamed over


def test_a_state_from_other_rules_is_refused(fixture_rules: CompiledRuleSet, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Monitor(fixture_rules) as monitor:
        run(monitor, stream()[:2])
        monitor.save(state)
    other = compile_rules(load_rules(FIXTURE_RULES / "un" / "dprk" / "2397.yaml"), ReferenceDesignations())
    assert other.digest != fixture_rules.digest
    with pytest.raises(MonitorStateError, match="made with another rule set") as caught:
        Monitor.restore(state, other)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, SanctionsRulesError)


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "cannot read the monitor state"),
    ('{"format": "something-else/9"}', "not a monitor state"),
    ('{"format": "sanctionsrules-monitor-state/1", "ruleset": {"digest": "x"}, "last_date": null, "observed": 0,'
     ' "memory": {"sequence": 0, "facts": []}}', "another rule set"),
])
def test_a_broken_state_is_refused(fixture_rules: CompiledRuleSet, tmp_path: Path, content: str,
                                   message: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(content, encoding="utf-8")
    with pytest.raises(MonitorStateError, match=message):
        Monitor.restore(state, fixture_rules)


def test_a_closed_monitor_is_gone(fixture_rules: CompiledRuleSet, tmp_path: Path) -> None:
    monitor = Monitor(fixture_rules)
    monitor.observe(transfer(1, "2019-03-01"))
    monitor.close()
    monitor.close()  # harmless
    with pytest.raises(MonitorClosedError):
        monitor.observe(transfer(2, "2019-03-02"))
    with pytest.raises(MonitorClosedError):
        monitor.save(tmp_path / "state.json")


def test_many_monitors_live_side_by_side(fixture_rules: CompiledRuleSet) -> None:
    monitors = [Monitor(fixture_rules) for _ in range(12)]
    try:
        for k, monitor in enumerate(monitors):
            for j in range(k + 1):
                monitor.observe(transfer(j, "2019-03-01", amount=1000))
        assert [m.totals()[0].total for m in monitors] == [1000 * (k + 1) for k in range(12)]
        assert len({m._memory._session.name for m in monitors}) == 12  # each its own ruleset
    finally:
        for monitor in monitors:
            monitor.close()

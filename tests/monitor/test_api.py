"""The monitor's public surface is small and pinned."""

from __future__ import annotations

import sanctionsrules.engine.durable
import sanctionsrules.monitor


def test_the_monitor_package_exports_exactly_these_names() -> None:
    assert sanctionsrules.monitor.__all__ == [
        "AggregateFinding", "Cap", "Monitor", "MonitorClosedError", "MonitorResult", "MonitorStateError",
        "OutOfOrderError", "RunningTotal", "ShipToShip", "SplitShipment", "UndatedTransferError",
        "compile_aggregates", "lint_aggregates",
    ]
    for name in sanctionsrules.monitor.__all__:
        assert getattr(sanctionsrules.monitor, name).__doc__, name
    assert sorted(dir(sanctionsrules.monitor)) == sorted(sanctionsrules.monitor.__all__)


def test_the_durable_module_exports_exactly_these_names() -> None:
    assert sanctionsrules.engine.durable.__all__ == [
        "MAX_PATHS", "SHARD_PATHS", "ActionContext", "DurableActionError", "DurableRefusedError", "DurableRuleSet",
        "DurableSession", "DurableUnavailableError", "RuleSpec",
    ]


def test_errors_are_value_errors_of_the_library() -> None:
    from sanctionsrules import SanctionsRulesError

    for name in ("MonitorClosedError", "MonitorStateError", "OutOfOrderError", "UndatedTransferError"):
        error = getattr(sanctionsrules.monitor, name)
        assert issubclass(error, SanctionsRulesError) and issubclass(error, ValueError), name

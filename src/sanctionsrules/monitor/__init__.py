"""The stream monitor: rules over many transfers (cumulative caps, split shipments, ship-to-ship chains).

``Monitor`` takes transfers in date order and returns, for each, its single-transfer decision and the aggregate
findings it triggers; its state saves to JSON and restores. The aggregate rules are the ``aggregates:`` entries
of the instrument files (see the README, "Aggregate rules"). The monitor needs durable-rules (the ``durable`` extra).

Importing this package is cheap (the CLI does it to offer the ``monitor`` command): its modules load on first
use, and durable-rules only when a monitor opens its session.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sanctionsrules.monitor.aggregates import Cap, ShipToShip, SplitShipment, compile_aggregates, lint_aggregates
    from sanctionsrules.monitor.errors import (
        MonitorClosedError,
        MonitorStateError,
        OutOfOrderError,
        UndatedTransferError,
    )
    from sanctionsrules.monitor.findings import AggregateFinding, MonitorResult, RunningTotal
    from sanctionsrules.monitor.monitor import Monitor

__all__ = [
    "AggregateFinding",
    "Cap",
    "Monitor",
    "MonitorClosedError",
    "MonitorResult",
    "MonitorStateError",
    "OutOfOrderError",
    "RunningTotal",
    "ShipToShip",
    "SplitShipment",
    "UndatedTransferError",
    "compile_aggregates",
    "lint_aggregates",
]

_WHERE = {
    "AggregateFinding": "findings",
    "Cap": "aggregates",
    "Monitor": "monitor",
    "MonitorClosedError": "errors",
    "MonitorResult": "findings",
    "MonitorStateError": "errors",
    "OutOfOrderError": "errors",
    "RunningTotal": "findings",
    "ShipToShip": "aggregates",
    "SplitShipment": "aggregates",
    "UndatedTransferError": "errors",
    "compile_aggregates": "aggregates",
    "lint_aggregates": "aggregates",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sanctionsrules.monitor' has no attribute {name!r}")
    value = getattr(import_module(f"sanctionsrules.monitor.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

"""The monitor needs dates in order: an undated or out-of-order transfer is refused, never miscounted."""

from __future__ import annotations

import pytest

from sanctionsrules import Transfer
from sanctionsrules.errors import SanctionsRulesError
from sanctionsrules.monitor import Monitor, OutOfOrderError, UndatedTransferError

from .support import REFINED_CAP, transfer


def test_a_transfer_dated_before_the_last_one_is_refused_and_not_counted(monitor: Monitor) -> None:
    monitor.observe(transfer(1, "2019-05-02", amount=1000))
    totals = monitor.totals()
    with pytest.raises(OutOfOrderError, match=r"'T2' is dated 2019-05-01, before 2019-05-02") as caught:
        monitor.observe(transfer(2, "2019-05-01", amount=300_000))
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, SanctionsRulesError)
    assert monitor.totals() == totals and monitor.observed == 1
    # The same day again is in order; the monitor carries on.
    same_day = monitor.observe(transfer(3, "2019-05-02", amount=1000)).aggregate(REFINED_CAP)[0]
    assert same_day.total == 2000


def test_a_transfer_without_a_date_is_refused(monitor: Monitor) -> None:
    undated = Transfer.model_validate({**transfer(1, "2019-05-02").model_dump(mode="json"), "date": None})
    with pytest.raises(UndatedTransferError, match="has no date"):
        monitor.observe(undated)
    assert monitor.totals() == () and monitor.last_date is None

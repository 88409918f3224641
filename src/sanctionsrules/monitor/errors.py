"""Errors of the stream monitor. Each is a ``SanctionsRulesError`` and a ``ValueError``."""

from __future__ import annotations

from sanctionsrules.errors import SanctionsRulesError

__all__ = ["MonitorClosedError", "MonitorStateError", "OutOfOrderError", "UndatedTransferError"]


class OutOfOrderError(SanctionsRulesError, ValueError):
    """A transfer dated before the last one the monitor saw. It is refused, never counted out of order."""


class UndatedTransferError(SanctionsRulesError, ValueError):
    """A transfer without a date: caps and windows are about dates, so the monitor cannot place it."""


class MonitorStateError(SanctionsRulesError, ValueError):
    """A saved state that cannot be restored: unreadable, of another format, or made with another rule set."""


class MonitorClosedError(SanctionsRulesError, ValueError):
    """The monitor was closed; its working memory is gone."""

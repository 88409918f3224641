"""The exception hierarchy: one root, with subclasses that are also ``ValueError`` where a caller expects one."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "InputError",
    "Problem",
    "RuleSetError",
    "SanctionsRulesError",
]


class SanctionsRulesError(Exception):
    """Root of every error this library raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a rule file or an input document.

    ``code`` is stable (tests and tools may match on it); ``message`` is for people. ``path`` is a JSON path such
    as ``$.rules[3].when``. ``file``, ``line`` and ``column`` are 1-based and may be unknown (``None``/0).
    """

    code: str
    message: str
    path: str = "$"
    file: str | None = None
    line: int = 0
    column: int = 0
    source_line: str | None = None

    def location(self) -> str:
        """``file:line:column`` where known (``file:line`` for a JSON line), else the file or the JSON path."""
        if self.file and self.line:
            return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"
        return self.file or self.path

    def format(self) -> str:
        """The problem as a person reads it, with the source line and a caret under the spot."""
        head = f"{self.location()}: error[{self.code}] {self.path}: {self.message}"
        if self.source_line is None or not self.line:
            return head
        gutter = f"{self.line:>5} | "
        caret = " " * (len(gutter) - 2) + "| " + " " * max(self.column - 1, 0) + "^"
        return f"{head}\n{gutter}{self.source_line.rstrip()}\n{caret}"


class _ProblemsError(SanctionsRulesError, ValueError):
    """An error that carries every problem found; ``str()`` shows the most relevant one first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        if not problems:
            raise ValueError("an error needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.problems[0].format())

    def __reduce__(self) -> tuple[type[_ProblemsError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))  # keeps the problems when sent to or from a worker process

    def format_all(self) -> str:
        """Every problem, one block each."""
        return "\n".join(p.format() for p in self.problems)


class RuleSetError(_ProblemsError):
    """A rule set (YAML rule files or taxonomy) failed to load. Fail closed: no rule set, no verdict."""


class InputError(_ProblemsError):
    """A transfer (or another input document) is malformed: unknown field, bad country, bad HS code, bad JSON."""

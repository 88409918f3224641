"""``python -m sanctionsrules.screening screen ...``: the screening commands without the main CLI."""

from __future__ import annotations

import argparse
import sys

from .commands import register

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen screening command; returns its exit code."""
    parser = argparse.ArgumentParser(prog="python -m sanctionsrules.screening")
    register(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args, sys.stdout, sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())

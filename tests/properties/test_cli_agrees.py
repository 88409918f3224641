"""The command line and the library give the same decision for the same transfer."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from _property_support import COMPILED, RULES_PATH, interesting_transfers
from hypothesis import given, settings

from sanctionsrules import Transfer
from sanctionsrules.cli import main

AS_OF = dt.date(2024, 6, 1)


# Each CLI run loads and compiles the rules again, so this test draws fewer examples than the others.
@settings(max_examples=max(5, settings.default.max_examples // 10))
@given(interesting_transfers())
def test_cli_and_library_agree(transfer: Transfer) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "transfer.json"
        path.write_text(transfer.model_dump_json(), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        argv = ["check", str(path), "--format", "json", "--as-of", AS_OF.isoformat()]
        argv += ["--rules", RULES_PATH] if RULES_PATH else []
        code = main(argv, stdout=out, stderr=err)
    expected = COMPILED.check(transfer, as_of=AS_OF)
    assert json.loads(out.getvalue()) == expected.to_dict(), err.getvalue()
    assert code == (0 if expected.permitted else 1)

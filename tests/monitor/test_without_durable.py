"""durable-rules stays behind one module: the library, the native engine and the CLI work without it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from .support import FIXTURE_RULES

BLOCK = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("durable", "durable_rules_engine"):
            raise ImportError(f"{name} is blocked for this test")
        return None
sys.meta_path.insert(0, _Block())
"""


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_library_and_the_native_engine_work_without_durable_rules() -> None:
    done = python(BLOCK + f"""
import sanctionsrules
from sanctionsrules import Transfer, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations
rules = compile_rules(load_rules({str(FIXTURE_RULES)!r}), ReferenceDesignations())
car = {{"id": "t", "date": "2024-02-18", "kind": "gift", "recipient": {{"name": "x", "country": "KP"}},
       "goods": [{{"category": "luxury_vehicle", "hs_code": "870323"}}]}}
print(rules.check(Transfer.model_validate(car)).verdict)
import sanctionsrules.monitor, sanctionsrules.engine.durable
from sanctionsrules.monitor import Monitor, compile_aggregates
print(len(compile_aggregates(rules.ruleset)))
try:
    Monitor(rules)
except Exception as exc:
    print(type(exc).__name__, isinstance(exc, sanctionsrules.SanctionsRulesError), exc)
from sanctionsrules.cli import main
print("check exit", main(["check", "--help"]))
print("monitor exit", main(["monitor", "-", "--rules", {str(FIXTURE_RULES)!r}]))
""")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["prohibited", "9"]
    assert lines[2].startswith("DurableUnavailableError True the monitor and the durable engine need durable-rules")
    assert "monitor exit 2" in lines and "Traceback" not in done.stderr


def test_importing_the_monitor_package_does_not_load_durable_rules() -> None:
    done = python("""
import sys, sanctionsrules.monitor, sanctionsrules.cli
sanctionsrules.cli.build_parser()
from sanctionsrules.monitor import Monitor, compile_aggregates
print(sorted(m for m in sys.modules if m.split(".")[0] in ("durable", "durable_rules_engine")))
""")
    assert done.stdout.strip() == "[]", done.stderr

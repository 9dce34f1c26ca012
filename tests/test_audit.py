"""tools/audit.py: a vulnerability fails, an unreachable vulnerability database is never
reported as clean (a warning from `make test`, a failure from `make audit`)."""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "audit_tool", Path(__file__).resolve().parent.parent / "tools" / "audit.py"
)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

VULN = {
    "name": "werkzeug",
    "version": "2.0.0",
    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["3.0.6"]}],
}


@pytest.mark.parametrize(
    ("bandit_ok", "report", "when_reachable", "code", "says"),
    [
        (True, ([], ["flask", "werkzeug"], []), False, 0, "2 packages checked"),
        (True, ([VULN], ["flask"], []), True, 1, "PYSEC-0000-1 (fixed in 3.0.6)"),
        (False, ([], ["flask"], []), True, 1, "checked"),
        (True, ([], [], ["flask", "werkzeug"]), True, 0, "none of the 2 installed packages"),
        (True, ([], [], ["flask", "werkzeug"]), False, 1, "could not reach"),
        (True, ([], ["flask"], ["trainer"]), False, 0, "1 not found on PyPI (trainer)"),
    ],
)
def test_outcomes(monkeypatch, capsys, bandit_ok, report, when_reachable, code, says):
    monkeypatch.setattr(audit, "bandit", lambda: bandit_ok)
    monkeypatch.setattr(audit, "pip_audit", lambda: report)
    argv = ["--when-reachable"] if when_reachable else []
    assert audit.main(argv) == code
    assert says in capsys.readouterr().out


def test_pip_audit_that_cannot_run_checks_nothing(monkeypatch):
    import subprocess

    def hangs(*args, **kwargs):
        raise subprocess.TimeoutExpired("pip-audit", 300)

    monkeypatch.setattr(audit.subprocess, "run", hangs)
    assert audit.pip_audit() == ([], [], ["(every package)"])

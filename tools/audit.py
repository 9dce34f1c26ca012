"""Supply-chain checks: bandit on our code, pip-audit on what the virtual environment holds.

``python tools/audit.py``                  (``make audit``) fails when pip-audit cannot check
``python tools/audit.py --when-reachable`` (``make test``) only warns when it cannot

bandit needs no network and always decides. pip-audit asks PyPI's vulnerability data about
every installed package; on a machine that reaches only a package mirror it gets "not found"
for all of them, which checks nothing, so that case is reported as unchecked, never as clean.
Any known vulnerability fails both ways.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def bandit():
    result = subprocess.run(
        [str(BIN / "bandit"), "-q", "-r", "trainer", "-c", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(result.stdout, end="")
    # bandit 1.9 warns "nosec encountered …, but no failed test" for every reviewed `# nosec`
    # line (the skip worked); everything else it says on stderr is kept.
    for line in result.stderr.splitlines():
        if "nosec encountered" not in line:
            print(line, file=sys.stderr)
    print("bandit: no findings" if result.returncode == 0 else "bandit: FINDINGS (above)")
    return result.returncode == 0


def pip_audit():
    """(vulnerable, checked, unchecked) package lists from pip-audit's JSON report."""
    try:
        result = subprocess.run(
            [
                str(BIN / "pip-audit"),
                "--format",
                "json",
                "--skip-editable",
                "--progress-spinner",
                "off",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:  # not installed, or no answer in 5 min
        print(f"pip-audit did not run: {exc}", file=sys.stderr)
        return [], [], ["(every package)"]
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip()[-2000:], file=sys.stderr)
        return [], [], ["(every package)"]
    vulnerable, checked, unchecked = [], [], []
    for dep in report["dependencies"]:
        if dep.get("skip_reason"):
            unchecked.append(dep["name"])
        elif dep.get("vulns"):
            vulnerable.append(dep)
        else:
            checked.append(dep["name"])
    return vulnerable, checked, unchecked


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--when-reachable",
        action="store_true",
        help="only warn when pip-audit cannot reach the vulnerability data",
    )
    args = parser.parse_args(argv)
    ok = bandit()
    vulnerable, checked, unchecked = pip_audit()
    for dep in vulnerable:
        ids = ", ".join(
            f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['–'])})"
            for v in dep["vulns"]
        )
        print(f"pip-audit: {dep['name']} {dep.get('version', '')}: {ids}")
    if vulnerable:
        ok = False
    if checked and not unchecked:
        print(
            f"pip-audit: {len(checked)} packages checked, "
            f"{len(vulnerable) or 'no'} known vulnerabilities"
        )
    elif not checked:
        print("=" * 78)
        count = "" if unchecked == ["(every package)"] else f" {len(unchecked)}"
        print(
            f"WARNING: pip-audit could not reach PyPI's vulnerability data: none of the"
            f"{count} installed packages was checked (run `make audit` where the network "
            "reaches pypi.org)"
        )
        print("=" * 78)
        ok = ok and args.when_reachable
    else:
        print(
            f"pip-audit: {len(checked)} packages checked, {len(unchecked)} not found on PyPI "
            f"({', '.join(unchecked[:10])}{' …' if len(unchecked) > 10 else ''})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

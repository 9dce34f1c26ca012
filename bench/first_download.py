"""Issue 16 item 5: the first certificate after a restart, with and without the warm-up.

    python bench/first_download.py [--repeat 5] [--append]

Each sample is a fresh process (the app created, nothing rendered yet) that times one
certificate's PDF (made-up certificate of ``bench/passes.py``, the real template, fonts and a
QR code as long as a signed one; no database, no request), in turns:
- the naive render (the baseline of ``bench/run.py``: one self-contained WeasyPrint document,
  the system's fonts), timed on its second call, once WeasyPrint is loaded;
- our first certificate in a process started without the warm-up (``WARM_UP_DOCUMENTS`` off:
  CLI commands, tests);
- our first certificate in a process started with ``WARM_UP_DOCUMENTS=1`` (``make run``,
  the job worker, gunicorn as the README sets it up).
Wall medians in the table, CPU medians of the same samples in the notes.
"""

import argparse
import json
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Case, table  # noqa: E402

SAMPLE = """
import json, sys, time
sys.path.insert(0, {root!r})
from bench.passes import jobs
from trainer import create_app
variant = sys.argv[1]
app = create_app({{"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                   "WARM_UP_DOCUMENTS": variant == "warm"}})
with app.app_context(), app.test_request_context():
    job = jobs(2)
    if variant == "naive":
        import weasyprint
        from bench.cases import naive_html
        run = lambda j: weasyprint.HTML(string=naive_html(j)).write_pdf()
        run(job[1])
    else:
        from trainer.certificates.pdf import render_certificates
        run = lambda j: render_certificates([j])
    wall, cpu = time.perf_counter(), time.process_time()
    run(job[0])
    print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""

NAMES = {
    "naive": "naive WeasyPrint certificate, warm process (baseline)",
    "cold": "first certificate after a restart, no warm-up",
    "warm": "first certificate after a restart, warmed up at start",
}


def sample(variant):
    script = SAMPLE.format(root=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", script, variant], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--append", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)
    walls, cpus = {v: [] for v in NAMES}, {v: [] for v in NAMES}
    for _ in range(args.repeat):  # in turns: each sees the same moments of a shared machine
        for variant in NAMES:
            wall, cpu = sample(variant)
            walls[variant].append(wall)
            cpus[variant].append(cpu)
    base = NAMES["naive"]
    cases = []
    for variant, name in NAMES.items():
        cpu = statistics.median(cpus[variant])
        ratio = cpu / statistics.median(cpus["naive"])
        cases.append(
            Case(
                name,
                walls[variant],
                baseline=None if variant == "naive" else base,
                budget=None if variant == "naive" else 0.5,
                note=f"CPU {cpu * 1000:.1f} ms ({ratio:.2f}× the baseline's CPU)",
            )
        )
    load = Path("/proc/loadavg").read_text().split()[:3]
    text = (
        f"\n# The first certificate after a restart (issue 16 item 5)\n\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.machine()}, Python {platform.python_version()}) with "
        f"`python bench/first_download.py --repeat {args.repeat}`; load average at the end "
        f"{' / '.join(load)}.\n\n" + table(cases, {c.name: c for c in cases}) + "\n"
    )
    print(text)
    if args.append:
        with open(args.out, "a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()

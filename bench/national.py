"""The national scale on PostgreSQL: seed-demo --scale national (about 1.6 million staff in
34 provinces), then the coverage of the country with its provinces, computed (no cache).

    python bench/national.py [--repeat N] [--out bench/results.md] [--sizes provinces=3,...]

Appends its table to bench/results.md (``make bench-national``; not in CI: it takes minutes and
a few GB of disk). The seed's peak memory is the process's maximum resident set, reported in
the table (run it under ``/usr/bin/time -v`` for the whole picture). Budget from issue 15:
the computed coverage ≤ 1 s.
"""

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Case, measure, missed, table  # noqa: E402
from bench.run import PG_ADMIN_URL, PG_BENCH_DB, fresh_schema, make_app, settle  # noqa: E402


def national_database():
    import psycopg

    name = f"{PG_BENCH_DB}_national"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument(
        "--sizes", default="", help="Smaller country for a try: provinces=3,communes=5,..."
    )
    args = parser.parse_args(argv)
    sizes = {k: int(v) for k, v in (p.split("=") for p in args.sizes.split(",") if p)}

    from trainer.coverage.services import coverage, unit_counts
    from trainer.curriculum.models import CertificateLevel
    from trainer.demo.national import seed_national
    from trainer.extensions import db
    from trainer.org.models import OrgUnit
    from trainer.timeutil import local_today

    app = make_app(national_database(), tempfile.mkdtemp(prefix="bench-national-"))
    fresh_schema(app)
    before = peak_mb()
    with app.app_context():
        started = time.perf_counter()
        summary = seed_national(sizes=sizes)
        db.session.commit()
        seconds = time.perf_counter() - started
    seeded_peak = peak_mb()
    settle(app)
    with app.app_context():
        root = db.session.scalar(db.select(OrgUnit).where(OrgUnit.code == "VN"))
        level = db.session.scalar(
            db.select(CertificateLevel).where(CertificateLevel.code == "basic")
        )
        head, rows = coverage(root, level)
        samples = measure(lambda: coverage(root, level), args.repeat)
        # what the dashboard does after the first view of the day since a change: the whole
        # tree's per-unit counts come from the cache (by data version), only the roll-up runs
        counts = unit_counts(None, level, local_today())
        assert coverage(root, level, counts=counts) == (head, rows)
        rolled = measure(lambda: coverage(root, level, counts=counts), args.repeat)
        tree_counts = measure(lambda: unit_counts(None, level, local_today()), args.repeat)
    cases = [
        Case(
            "postgresql: seed-demo --scale national",
            [seconds],
            note=(
                f"{summary['staff']:,} staff, {summary['units']:,} units, "
                f"{summary['certificates']:,} certificates; peak RSS {seeded_peak:,.0f} MB "
                f"(before seeding {before:,.0f} MB)"
            ),
        ),
        Case(
            "postgresql: coverage of the country with its provinces, computed",
            samples,
            limit=1,
            note=f"{len(rows)} provinces, {head.staff_total:,} active staff",
        ),
        Case(
            "postgresql: the whole tree's per-unit counts of the day (cached by data version)",
            tree_counts,
            note="the one GROUP BY a change costs the next dashboard view",
        ),
        Case(
            "postgresql: coverage of the country with its provinces, from the cached counts",
            rolled,
            limit=1,
            note="roll-up over the tree of the day, targets, names",
        ),
    ]
    by_name = {c.name: c for c in cases}
    report = "\n".join(
        [
            "# Benchmarks (national scale, PostgreSQL)",
            "",
            f"Measured {datetime.now():%Y-%m-%d %H:%M} on {platform.node()} "
            f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}) "
            f"with `python bench/national.py --repeat {args.repeat}"
            f"{' --sizes ' + args.sizes if args.sizes else ''}` (`make bench-national`).",
            "",
            table(cases, by_name, judge=not sizes),
            "",
        ]
    )
    print(report)
    out = Path(args.out)
    previous = out.read_text(encoding="utf-8") + "\n" if out.exists() else ""
    out.write_text(previous + report, encoding="utf-8")
    failed = [c.name for c in cases if not sizes and missed(c, by_name)]
    if failed:
        print("budgets missed: " + "; ".join(failed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Issue 16 item 5 and issue 17 item 6: certificates issued and rendered in bulk.

    python bench/district.py [--db sqlite|postgresql] [--count 1500] [--no-job|--no-district]
                             [--append]

On the ``province`` demo: a district's worth of certificates (``--count``, 1,500 by default,
people given the basic modules' results for it) issued and rendered as one bulk issue, with
the peak memory of the app process and of its rendering worker processes; then (unless
``--no-job``) the advanced level issued to the whole province as a job run by a real worker
(``bench/jobs.py``: per certificate end to end, and the longest pause between progress
reports). The demo is seeded by a separate process, so that the peak memory measured is that
of the issuing and rendering alone. Appends its table to bench/results.md with ``--append``.
"""

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Case, measure, section, table  # noqa: E402
from bench.run import fresh_schema, make_app, postgres_url, settle  # noqa: E402

LIMIT_S = 15.0  # issue 16: a district's 1,500 certificates within 15 s
MEMORY_MB = 500  # … with memory under 500 MB


def seed(url):
    """Seed the province demo in a process of its own (its memory is not ours)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--seed-only", url], check=True, capture_output=True)
    return time.perf_counter() - started


def seed_here(url):
    from trainer.demo.seed import seed_demo_data
    from trainer.extensions import db

    app = make_app(url, None)
    fresh_schema(app)
    with app.app_context():
        seed_demo_data("province")
        db.session.commit()


def make_eligible(app, count):
    """Give ``count`` people without the basic level (the first by unit) its six modules;
    the unit whose subtree holds them all (the province when they span several)."""
    from sqlalchemy import select

    from trainer.certificates.held_levels import holder_ids
    from trainer.curriculum.models import CertificateLevel, Module
    from trainer.demo.bulk_insert import insert_rows, stored
    from trainer.extensions import db
    from trainer.org.models import OrgUnit, Staff
    from trainer.timeutil import local_today

    with app.app_context():
        basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        people = db.session.scalars(
            select(Staff.id)
            .join(OrgUnit, OrgUnit.id == Staff.org_unit_id)
            .where(Staff.status == "active", ~Staff.id.in_(holder_ids(basic.rank, local_today())))
            .order_by(OrgUnit.path, Staff.id)
            .limit(count)
        ).all()
        modules = db.session.scalars(
            select(Module.id).where(Module.code.in_([f"IU0{i}" for i in range(1, 7)]))
        ).all()
        today, created = stored(local_today()), stored(datetime.now(UTC))
        insert_rows(
            "results",
            ("staff_id", "module_id", "score", "assessed_on", "created_at"),
            [(p, m, 90, today, created) for p in people for m in modules],
        )
        db.session.commit()
        return len(people)


def issue_and_render(app, code, level_code, render=None):
    """Bulk issue of ``level_code`` in ``code``'s subtree and rendering of every PDF (of the
    first ``render`` only when given)."""
    from sqlalchemy import select

    from trainer.certificates.request_helpers import render_stored, settings
    from trainer.certificates.services import issue_bulk
    from trainer.curriculum.models import CertificateLevel
    from trainer.extensions import db
    from trainer.org.models import OrgUnit

    with app.app_context(), app.test_request_context():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        level = db.session.scalar(
            select(CertificateLevel).where(CertificateLevel.code == level_code)
        )
        started = time.perf_counter()
        certs = issue_bulk(unit, level, settings=settings())
        db.session.commit()
        issued_at = time.perf_counter()
        render_stored(certs if render is None else certs[:render])
        done = time.perf_counter()
        return len(certs), issued_at - started, done - started


def peak_mb(who):
    """Peak resident memory of this process (the seed ran in another one)."""
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def district_cases(name, app, count):
    """The already eligible issued first (untimed; a few of them rendered, which starts the
    worker processes as any earlier job would have), then ``count`` people made eligible and
    issued + rendered, timed, with peak memory."""
    from trainer.documents import pool

    warm, _, warm_s = issue_and_render(
        app, "DB", "basic", render=2 * app.config["CERTIFICATE_RENDER_CHUNK"] + 1
    )
    made = make_eligible(app, count)
    before = peak_mb(resource.RUSAGE_SELF)
    cpu_before = time.process_time() + pool.worker_cpu_seconds()
    issued, issuing_s, total_s = issue_and_render(app, "DB", "basic")
    cpu = time.process_time() + pool.worker_cpu_seconds() - cpu_before
    workers = app.config["CERTIFICATE_RENDER_WORKERS"]
    peaks = [kb / 1024 for kb in pool.worker_peak_memory().values()]
    own, child = peak_mb(resource.RUSAGE_SELF), max(peaks, default=0)
    total_mb = own + sum(peaks)
    per_cert = total_s / max(issued, 1)
    scaled = per_cert * 1500
    return [
        Case(
            f"{name}: a district's {issued:,} certificates issued and rendered (whole run)",
            [total_s],
            limit=LIMIT_S * issued / 1500 if issued else None,
            note=f"{issued:,} certificates ({made:,} made eligible): issuing {issuing_s:.1f} s, "
            f"rendering {total_s - issuing_s:.1f} s on {workers} worker processes; "
            f"{per_cert * 1000:.1f} ms a certificate, so 1,500 in {scaled:.1f} s; CPU time "
            f"(app and workers) {cpu * 1000 / max(issued, 1):.1f} ms a certificate, so 1,500 "
            f"in {cpu * 1500 / max(issued, 1) / max(workers, 1):.1f} s on {max(workers, 1)} "
            f"idle cores; "
            f"peak memory: app process {own:.0f} MB (before this run {before:.0f} MB), "
            f"each of {len(peaks)} workers ≤ {child:.0f} MB, together ≤ {total_mb:.0f} MB ("
            f"budget < {MEMORY_MB} MB: {'met' if total_mb < MEMORY_MB else 'NOT met'}); "
            f"{warm:,} already eligible issued first (and a few rendered) in {warm_s:.1f} s",
        )
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--no-job", action="store_true")
    parser.add_argument("--no-district", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--append", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--seed-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only:
        seed_here(args.seed_only)
        return 0
    tmp = tempfile.mkdtemp(prefix="bench-district-")
    url = f"sqlite:///{tmp}/bench.db" if args.db == "sqlite" else postgres_url()
    if url is None:
        return 1
    seconds = seed(url)
    app = make_app(url, tmp + "/certificates")
    fresh_schema(app)  # already there: checks only
    settle(app)
    cases = [Case(f"{args.db}: seed-demo --scale province (own process)", [seconds])]
    if not args.no_district:
        cases += district_cases(args.db, app, args.count)
        print(table(cases, {case.name: case for case in cases}), flush=True)
    if not args.no_job:
        from bench.jobs import job_cases
        from bench.run import staff_file

        with app.app_context():  # the API's start of a job is measured with a token
            from trainer.accounts.models import User
            from trainer.accounts.services import issue_token
            from trainer.extensions import db

            admin = db.session.scalar(db.select(User).where(User.role == "admin"))
            app.config["BENCH_TOKEN"] = issue_token(admin, "bench")
            db.session.commit()
        client = app.test_client()
        health = Case(f"{args.db}: /healthz", measure(lambda: client.get("/healthz"), 10))
        health.extra["run"] = lambda: client.get("/healthz")
        cases += [health, *job_cases(args.db, app, health, args.repeat, staff_file(app)[1])]
    command = " ".join(["python bench/district.py", *(argv or sys.argv[1:])])
    section(
        "Certificates in bulk: a district, and the province's advanced level as a job",
        f"Measured {datetime.now():%Y-%m-%d %H:%M} on {platform.node()} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end) "
        f"with `{command}`.",
        cases,
        out=args.out,
        append=args.append,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

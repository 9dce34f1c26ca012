"""Benchmarks at province scale (and ``--large``) on SQLite and PostgreSQL.

    python bench/run.py [--scale province|large] [--db sqlite|postgresql|both] [--repeat N]

Prints a table of medians, spreads and ratios against baselines measured in the same run, and
writes it to bench/results.md. Budgets come from the issues; tests never assert times.
"""

import argparse
import csv
import io
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cases import (  # noqa: E402
    certificate_cases,
    coverage_cases,
    page_cases,
    reorganisation_cases,
)
from bench.harness import Case, against, measure, missed, table  # noqa: E402
from bench.jobs import job_cases  # noqa: E402
from bench.reports import report_cases  # noqa: E402

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "trainer_bench")


def sqlite_version():
    """The SQLite library the app's SQLite databases use (trainer/config.py)."""
    from trainer.config import sqlite_engine_options

    module = sqlite_engine_options(os.environ.get("SQLITE_LIBRARY")).get("module")
    if module is None:
        import sqlite3 as module
    return module.sqlite_version + ("" if module.__name__.startswith("sqlite3") else ", bundled")


def postgres_url():
    """A freshly created benchmark database on the local server, or None if unreachable."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    except Exception as exc:  # unreachable server: benchmark SQLite only
        print(f"PostgreSQL not available ({exc}); SQLite only", file=sys.stderr)
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def import_url(name, url):
    """A second, empty database for the import case."""
    if name == "sqlite":
        return "sqlite:///" + tempfile.mkdtemp(prefix="bench-import-") + "/import.db"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}_import WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}_import")
    return url + "_import"


def make_app(url, instance):
    from trainer import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "CERTIFICATE_STORE": instance,
        }
    )


def fresh_schema(app):
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def settle(app):
    """VACUUM ANALYZE on PostgreSQL after the bulk load, as autovacuum soon would."""
    from trainer.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")


def bench_database(name, url, scale, repeat, only=None):
    """All cases on one database (or the ``only`` group); returns the list of cases."""
    from flask_babel import force_locale

    from trainer.demo.seed import seed_demo_data
    from trainer.extensions import db

    app = make_app(url, tempfile.mkdtemp(prefix="bench-certs-"))
    fresh_schema(app)
    cases = []
    with app.app_context():
        started = time.perf_counter()
        summary = seed_demo_data(scale)
        db.session.commit()
        seed_seconds = time.perf_counter() - started
    cases.append(
        Case(
            f"{name}: seed-demo --scale {scale}",
            [seed_seconds],
            note=f"{summary['staff']:,} staff, {summary['units']:,} units",
        )
    )
    settle(app)

    client = app.test_client()
    with app.app_context():
        from trainer.accounts.models import User
        from trainer.accounts.services import issue_token

        admin = db.session.scalar(db.select(User).where(User.role == "admin"))
        token = issue_token(admin, "bench")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    app.config["BENCH_TOKEN"] = token

    def get(path, **kw):
        def run():
            response = client.get(path, **kw)
            assert response.status_code == 200, (path, response.status_code)

        return run

    health = Case(f"{name}: /healthz", measure(get("/healthz"), repeat * 2))
    anonymous = app.test_client()  # the baseline stays one request: no cookie, no session

    def healthz():
        assert anonymous.get("/healthz").status_code == 200

    health.extra["run"] = healthz
    cases.append(health)
    # first, while the seeded reform is the last change (it is undone and applied again)
    if only is None:
        cases += reorganisation_cases(name, app, max(1, repeat // 5))
    if only == "certificates":
        return cases + certificate_cases(name, app, health, max(5, repeat // 2))
    if only == "reports":
        return cases + report_cases(name, app, health, repeat)
    if only in ("jobs", "job-starts"):
        csv_bytes = staff_file(app)[1]
        return cases + job_cases(name, app, health, repeat, csv_bytes, only == "jobs")
    cases += coverage_cases(name, app, health, repeat)
    if only == "coverage":
        return cases
    cases.append(
        against(
            health,
            f"{name}: staff search API q=thang",
            get("/api/v1/staff?q=thang", headers=headers),
            repeat,
            budget=8,
        )
    )
    cases.append(
        against(
            health,
            f"{name}: staff search API q=dang van duc",
            get("/api/v1/staff?q=dang%20van%20duc", headers=headers),
            repeat,
            budget=8,
        )
    )
    client.post(
        "/login", data={"identifier": "admin@demo.trainer.vn", "password": "trainer-demo-2026"}
    )
    cases.append(against(health, f"{name}: staff list page q=thang", get("/staff?q=thang"), repeat))
    cases.append(against(health, f"{name}: staff list page, no filter", get("/staff"), repeat))
    if scale == "large":
        return cases  # at ten times the province: how coverage and search grow, nothing else
    cases += page_cases(name, app, health, repeat)
    cases += certificate_cases(name, app, health, max(5, repeat // 2))
    with force_locale("en"):
        cases += bench_import(name, app, max(3, repeat // 5), import_url(name, url))
    cases += job_cases(name, app, health, repeat, staff_file(app)[1])
    cases += report_cases(name, app, health, repeat)
    return cases


def staff_file(app):
    """The seeded roster as an import file (CSV bytes) plus the units file."""
    from trainer.extensions import db
    from trainer.org.models import OrgUnit, Staff

    with app.app_context():
        units = io.StringIO()
        writer = csv.writer(units)
        writer.writerow(["code", "name", "kind", "parent_code"])
        parents = {u.id: u.code for u in db.session.scalars(db.select(OrgUnit))}
        for unit in db.session.scalars(db.select(OrgUnit).order_by(OrgUnit.depth)):
            writer.writerow([unit.code, unit.name, unit.kind, parents.get(unit.parent_id, "")])
        staff = io.StringIO()
        writer = csv.writer(staff)
        writer.writerow(
            [
                "staff_code",
                "full_name",
                "org_code",
                "position",
                "gender",
                "birth_date",
                "email",
                "phone",
                "status",
            ]
        )
        rows = db.session.execute(
            db.select(Staff, OrgUnit.code).join(OrgUnit, Staff.org_unit_id == OrgUnit.id)
        ).all()
        for s, code in rows:
            writer.writerow(
                [
                    s.staff_code,
                    s.full_name,
                    code,
                    s.position,
                    s.gender or "",
                    s.birth_date.strftime("%d/%m/%Y") if s.birth_date else "",
                    s.email or "",
                    s.phone or "",
                    s.status,
                ]
            )
    return units.getvalue().encode(), staff.getvalue().encode(), len(rows)


def bench_import(name, app, repeat, url):
    """Import of the whole staff file into an empty roster (a database of its own) vs one ORM
    object at a time."""
    from sqlalchemy import delete

    from trainer.extensions import db
    from trainer.imports import importer_for
    from trainer.imports.base import run_import
    from trainer.imports.reader import read_table
    from trainer.org.models import Staff, StaffNameWord

    units_csv, staff_csv, count = staff_file(app)
    target = make_app(url, tempfile.mkdtemp(prefix="bench-import-"))
    fresh_schema(target)

    def clear():
        db.session.execute(delete(StaffNameWord))
        db.session.execute(delete(Staff))
        db.session.commit()

    def import_all():
        report = run_import(importer_for("staff"), "staff.csv", staff_csv)
        assert report.ok and report.created == count, report.errors[:3]
        db.session.commit()

    samples = []
    with target.app_context():
        report = run_import(importer_for("orgunits"), "units.csv", units_csv)
        assert report.ok, report.errors[:3]
        db.session.commit()
        for _ in range(repeat):
            clear()
            started = time.perf_counter()
            import_all()
            samples.append((time.perf_counter() - started) / count)
        # the same rows, one ORM object at a time (a subset: it is slow)
        table_rows = read_table("staff.csv", staff_csv).rows[:2000]
        org_ids = dict(db.session.execute(db.text("SELECT code, id FROM org_units")).all())
        baseline = []
        for _ in range(max(1, repeat // 2)):
            clear()
            started = time.perf_counter()
            for _number, row in table_rows:
                db.session.add(
                    Staff(
                        staff_code=row["staff_code"],
                        full_name=row["full_name"],
                        org_unit_id=org_ids[row["org_code"]],
                        position=row["position"],
                        status=row["status"],
                    )
                )
                db.session.flush()
            db.session.commit()
            baseline.append((time.perf_counter() - started) / len(table_rows))
        db.engine.dispose()
    base = Case(f"{name}: import, one ORM object per row (per row)", baseline)
    rate = 1 / (sum(samples) / len(samples))
    return [
        base,
        Case(
            f"{name}: import staff file, {count:,} rows (per row)",
            samples,
            baseline=base.name,
            note=f"{rate:,.0f} rows/s; whole file {sum(samples) / len(samples) * count:.1f} s",
        ),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "province", "large"], default="province")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--append", action="store_true", help="Add to --out, do not replace.")
    parser.add_argument(
        "--only",
        choices=["certificates", "coverage", "reports", "jobs", "job-starts"],
        help="Seed, then run only this group of cases.",
    )
    args = parser.parse_args(argv)
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.db in ("sqlite", "both"):
            cases += bench_database(
                "sqlite", f"sqlite:///{tmp}/bench.db", args.scale, args.repeat, args.only
            )
        if args.db in ("postgresql", "both"):
            url = postgres_url()
            if url:
                cases += bench_database("postgresql", url, args.scale, args.repeat, args.only)
    by_name = {case.name: case for case in cases}
    report = "\n".join(
        [
            f"# Benchmarks ({args.scale} scale)",
            "",
            *(
                [
                    "The budgets are defined at province scale; at ten times the staff the same "
                    "cases are reported to show how they grow, and the budgets only for reference.",
                    "",
                ]
                if args.scale != "province"
                else []
            ),
            f"Measured {datetime.now():%Y-%m-%d %H:%M} on {platform.node()} "
            f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"SQLite {sqlite_version()}) with `python bench/run.py --scale {args.scale} "
            f"--db {args.db} --repeat {args.repeat}"
            + (f" --only {args.only}" if args.only else "")
            + "`.",
            "Requests go through Flask's test client in the same process (no network). Ratios "
            "are against a baseline measured in the same run; cases against /healthz alternate "
            "blocks of five requests of each, and their ratio is against the /healthz samples "
            "taken alongside (shown in brackets), so that both see the same moments of this "
            "shared machine. "
            "Budgets are from the issues.",
            "",
            table(cases, by_name, judge=args.scale == "province"),
            "",
        ]
    )
    print(report)
    out = Path(args.out)
    previous = out.read_text(encoding="utf-8") + "\n" if args.append and out.exists() else ""
    out.write_text(previous + report, encoding="utf-8")
    failed = [c.name for c in cases if args.scale == "province" and missed(c, by_name)]
    if failed:
        print("budgets missed: " + "; ".join(failed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

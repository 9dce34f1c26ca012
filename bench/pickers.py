"""The pickers' suggestions at province scale (issue 20 item 3): /pick/units and /pick/staff.

    python bench/pickers.py [--db sqlite|postgresql|both] [--pg-url URL] [--repeat N]

Seeds the province demo (~15,600 staff, ~1,000 units) in a temporary SQLite file and/or the
PostgreSQL database given by ``--pg-url`` (it is emptied first), signs in as the demo admin
(the whole province: the largest answer) and as the demo trainer (a subtree), and times the
suggestions a typing user asks for, alternating with /healthz as the baseline (bench/harness.py).
Prints a Markdown table of medians and ratios; tests never assert times.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Case, against, measure, table  # noqa: E402
from bench.run import fresh_schema, make_app, settle  # noqa: E402

QUERIES = {
    # "-": punctuation only, answered before any search: what a signed-in JSON request costs
    "units": ["-", "tr", "huoi mi", "truong thcs muong", "DB-MCH", "xa dien bien dong"],
    "staff": ["-", "ng", "thang", "dang van duc", "nguyen thi", "DB0001"],
}


def reset_postgres(url):
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def bench_database(name, url, repeat):
    """Seed the province, then time every query for the admin and the trainer."""
    from trainer.demo.seed import seed_demo_data
    from trainer.extensions import db

    app = make_app(url, tempfile.mkdtemp(prefix="bench-pickers-"))
    fresh_schema(app)
    with app.app_context():
        summary = seed_demo_data("province")
        db.session.commit()
    settle(app)
    anonymous = app.test_client()

    def healthz():
        assert anonymous.get("/healthz").status_code == 200

    health = Case(f"{name}: /healthz", measure(healthz, repeat * 2))
    health.extra["run"] = healthz
    cases = [health]
    for who in ("admin", "trainer"):
        client = app.test_client()
        client.post(
            "/login",
            data={"identifier": f"{who}@demo.trainer.vn", "password": "trainer-demo-2026"},
        )
        for kind, queries in QUERIES.items():
            for query in queries:

                def ask(kind=kind, query=query, client=client):
                    response = client.get(f"/pick/{kind}", query_string={"q": query})
                    assert response.status_code == 200, response.status_code
                    return response.get_json()

                found = ask()
                cases.append(
                    against(
                        health,
                        f"{name}: {who} /pick/{kind}?q={query}",
                        ask,
                        repeat,
                    )
                )
                cases[-1].note = f"{len(found['items'])} shown" + (
                    ", more" if found["more"] else ""
                )
    cases += direct_cases(name, app, health, repeat)
    cases[0].note = f"{summary['staff']:,} staff, {summary['units']:,} units"
    return cases


def direct_cases(name, app, health, repeat):
    """The unit search alone (no request around it), over the whole province."""
    from sqlalchemy import true

    from trainer.org.search import search_units, unit_paths
    from trainer.timeutil import local_today

    cases = []
    for query in QUERIES["units"][1:]:

        def search(query=query):
            with app.app_context():
                units, _more = search_units(true(), query, local_today())
                unit_paths(units)

        cases.append(against(health, f"{name}: search_units only, q={query}", search, repeat))
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--pg-url", help="A PostgreSQL database used for nothing else.")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", help="Also write the table to this file.")
    args = parser.parse_args(argv)
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.db in ("sqlite", "both"):
            cases += bench_database("sqlite", f"sqlite:///{tmp}/bench.db", args.repeat)
        if args.db in ("postgresql", "both") and args.pg_url:
            reset_postgres(args.pg_url)
            cases += bench_database("postgresql", args.pg_url, args.repeat)
    by_name = {case.name: case for case in cases}
    report = table(cases, by_name)
    print(report)
    if args.out:
        Path(args.out).write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

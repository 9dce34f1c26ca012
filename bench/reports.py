"""Issue 19's cases: the province broken down by school level × ethnic minority (computed
≤ 30× /healthz, cached ≤ 10×) and the province's report pack (≤ 20 s, XLSX and PDF)."""

import time
from datetime import timedelta

from sqlalchemy import select

from bench.harness import Case, against
from trainer.timeutil import local_today

BREAKDOWN = "/api/v1/coverage/breakdown?org=DB&by=school_level,ethnic_minority"


def report_cases(name, app, health, repeat):
    """The breakdown through the API, computed and cached, then the pack in both formats."""
    from trainer.coverage import cache

    client = app.test_client()
    headers = {"Authorization": f"Bearer {app.config['BENCH_TOKEN']}"}

    def computed():
        cache.clear()
        assert client.get(BREAKDOWN, headers=headers).status_code == 200

    def warm():
        assert client.get(BREAKDOWN, headers=headers).status_code == 200

    # the same a year earlier (the budget is for any date; year on year reads this one)
    year_ago = f"{BREAKDOWN}&as_of={local_today().replace(day=1) - timedelta(days=365):%Y-%m-%d}"

    def computed_year_ago():
        cache.clear()
        assert client.get(year_ago, headers=headers).status_code == 200

    rows = len(client.get(BREAKDOWN, headers=headers).get_json()["rows"])
    return [
        against(health, f"{name}: GET {BREAKDOWN}, computed", computed, repeat, budget=30),
        against(
            health,
            f"{name}: the same as of a year earlier, computed",
            computed_year_ago,
            repeat,
            budget=30,
        ),
        against(health, f"{name}: GET {BREAKDOWN}, cached", warm, repeat, budget=10),
        *pack_cases(name, app, max(1, repeat // 5), note=f"{rows} cells"),
    ]


def pack_cases(name, app, repeat, note=""):
    """The province's report pack as the job builds it (cache cleared first), per format."""
    from trainer.coverage import cache
    from trainer.coverage.pack import pack_sheets, write_pdf, write_xlsx
    from trainer.curriculum.models import CertificateLevel
    from trainer.extensions import db
    from trainer.org.models import OrgUnit

    cases = []
    with app.app_context(), app.test_request_context():
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
        level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        today = local_today()
        for fmt in ("xlsx", "pdf"):
            samples, size, rows = [], 0, 0
            for _ in range(repeat):
                cache.clear()
                started = time.perf_counter()
                sheets = pack_sheets(root, level, today)
                if fmt == "xlsx":
                    body = write_xlsx(sheets, title="bench")
                else:
                    body = write_pdf(sheets, title="bench", as_of=today)
                samples.append(time.perf_counter() - started)
                size, rows = len(body), sum(len(s.rows) for s in sheets)
            cases.append(
                Case(
                    f"{name}: report pack of the province ({fmt.upper()})",
                    samples,
                    limit=20,
                    note=f"{rows:,} rows in 7 sheets, {size / 1e6:.1f} MB; breakdown {note}",
                )
            )
    return cases

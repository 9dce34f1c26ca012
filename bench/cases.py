"""Benchmark cases beyond search and import: coverage, pages, certificates."""

import time
from datetime import UTC, date, datetime

from sqlalchemy import event, select

from bench.harness import Case, against, measure
from trainer.timeutil import local_today


def count_queries(app, client, path):
    """SQL statements one GET of ``path`` runs."""
    from trainer.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

    def listener(conn, cursor, statement, params, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def coverage_cases(name, app, health, repeat):
    """Coverage of the province with its children: cold (computed) and warm (cached)."""
    from trainer.coverage import cache
    from trainer.coverage.services import coverage
    from trainer.curriculum.models import CertificateLevel
    from trainer.extensions import db
    from trainer.org.models import OrgUnit

    with app.app_context():
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
        level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        cold = measure(lambda: coverage(root, level, local_today()), repeat)
    client = app.test_client()
    token = app.config["BENCH_TOKEN"]
    headers = {"Authorization": f"Bearer {token}"}

    def api_cold():
        cache.clear()
        assert client.get("/api/v1/coverage?org=DB", headers=headers).status_code == 200

    def api_warm():
        assert client.get("/api/v1/coverage?org=DB", headers=headers).status_code == 200

    today_case = Case(
        f"{name}: coverage query, province + children (SQL only)", cold, baseline=health.name
    )
    return [
        today_case,
        against(health, f"{name}: GET /api/v1/coverage?org=DB, uncached", api_cold, repeat),
        against(
            health, f"{name}: GET /api/v1/coverage?org=DB, cached", api_warm, repeat, budget=10
        ),
        *past_coverage_cases(name, app, health, repeat, today_case),
        *trend_cases(name, app, repeat),
    ]


def trend_cases(name, app, repeat):
    """The dashboard's 24-month trend of the province, computed: the per-unit day masks
    (``coverage.trend.trend``) against the query over every (month end, person) pair it
    replaced (``services.trend_by_join``, the baseline), measured in the same run."""
    from trainer.coverage.services import trend_by_join
    from trainer.coverage.trend import trend
    from trainer.curriculum.models import CertificateLevel
    from trainer.extensions import db
    from trainer.org.models import OrgUnit

    with app.app_context():
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
        level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        today = local_today()
        assert trend(root, level, today) == trend_by_join(root, level, today)
        baseline = measure(lambda: trend_by_join(root, level, today), max(3, repeat // 3))
        masks = measure(lambda: trend(root, level, today), max(3, repeat // 3))
    base = Case(f"{name}: trend of the province, 24 months, one row per (month, person)", baseline)
    return [
        base,
        Case(
            f"{name}: trend of the province, 24 months, per-unit day masks",
            masks,
            baseline=base.name,
            note="same 24 figures as the baseline (asserted)",
        ),
    ]


PAST = date(2025, 6, 30)  # the last day of the districts: the province's children are they


def past_coverage_cases(name, app, health, repeat, today_case):
    """Coverage of the province with its children as of a past date (the structure of that
    day): computed against today's computed figure (≤ 2×), cached against /healthz (≤ 10×)."""
    from trainer.coverage.services import coverage
    from trainer.curriculum.models import CertificateLevel
    from trainer.extensions import db
    from trainer.org.models import OrgUnit

    with app.app_context():
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
        level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        head, rows = coverage(root, level, PAST)
        computed = measure(lambda: coverage(root, level, PAST), repeat)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {app.config['BENCH_TOKEN']}"}
    path = f"/api/v1/coverage?org=DB&as_of={PAST.isoformat()}"

    def api_warm():
        assert client.get(path, headers=headers).status_code == 200

    return [
        Case(
            f"{name}: coverage query as of {PAST:%d/%m/%Y}, province + children (SQL only)",
            computed,
            baseline=today_case.name,
            budget=2,
            note=f"{len(rows)} children, {head.staff_total:,} staff that day",
        ),
        against(health, f"{name}: GET {path}, cached", api_warm, repeat, budget=10),
    ]


def reorganisation_cases(name, app, repeat):
    """The 2025 reform of the whole province (the reform file the seed applied, the shipped
    one at province scale): undone first, then its preview (a dry run) and its application,
    each timed (≤ 10 s); the last application stays, so the demo is as seeded."""
    from trainer.demo.seed import REFORM_CSV, demo_reform_file
    from trainer.extensions import db
    from trainer.imports import importer_for
    from trainer.imports.base import run_import
    from trainer.org.periods import Reorganisation
    from trainer.org.reorganisation import undo

    previews, applies = [], []
    with app.app_context():
        data = demo_reform_file()
        shipped = data == REFORM_CSV.read_bytes()
        rows = data.count(b"\n") - 1
        for _ in range(max(1, repeat)):
            record = db.session.scalar(
                select(Reorganisation)
                .where(Reorganisation.undone_at.is_(None))
                .order_by(Reorganisation.id.desc())
            )
            undo(record)
            db.session.commit()
            started = time.perf_counter()
            report = run_import(importer_for("reorganisation"), "reform.csv", data, dry_run=True)
            previews.append(time.perf_counter() - started)
            assert report.ok, report.errors[:3]
            moved = report.plan.preview["staff_moved"]
            db.session.rollback()
            started = time.perf_counter()
            report = run_import(importer_for("reorganisation"), "reform.csv", data)
            db.session.commit()
            applies.append(time.perf_counter() - started)
            assert report.ok, report.errors[:3]
    note = f"{rows} rows{' (the shipped file)' if shipped else ''}, {moved:,} staff move"
    return [
        Case(f"{name}: reorganisation preview, whole province", previews, note=note, limit=10),
        Case(f"{name}: reorganisation apply, whole province", applies, note=note, limit=10),
    ]


def page_cases(name, app, health, repeat):
    """Time and query counts of the heavy pages (signed in as the demo admin)."""
    from trainer.extensions import db
    from trainer.training.models import TrainingSession

    client = app.test_client()
    client.post(
        "/login", data={"identifier": "admin@demo.trainer.vn", "password": "trainer-demo-2026"}
    )
    with app.app_context():
        session_id, enrolled = db.session.execute(  # the fullest roster
            select(TrainingSession.id, TrainingSession.enrolled_count)
            .order_by(TrainingSession.enrolled_count.desc(), TrainingSession.id)
            .limit(1)
        ).one()
    cases = []
    for label, path in (
        ("staff list page", "/staff"),
        ("coverage dashboard page", "/coverage"),
        (f"session page ({enrolled} enrolled)", f"/sessions/{session_id}"),
    ):
        queries = count_queries(app, client, path)
        case = against(health, f"{name}: {label}", lambda p=path: client.get(p), repeat)
        case.note = f"{queries} SQL queries"
        cases.append(case)
    return cases


def naive_certificate_html(cert, modules, base_url):
    """The same certificate template, as a naive caller would feed it to WeasyPrint: one
    document per certificate, fonts left to WeasyPrint (the system's DejaVu, subset per
    document), no shared font configuration; the same QR code (address and signed statement)."""
    from trainer.certificates.documents import design_of, qr_payload, verify_url
    from trainer.certificates.pdf import CertificateJob

    version = design_of(cert)
    job = CertificateJob(
        cert,
        modules,
        verify_url(base_url, cert),
        None,
        "Điện Biên",
        version.spec(),
        str(version.id),
        qr_data=qr_payload(cert, base_url=base_url),
    )
    return naive_html(job)


def naive_html(job):
    """``job``'s certificate as one self-contained HTML page for WeasyPrint's own fetcher: the
    system's DejaVu Serif by name, the QR code's PNG as a data URL."""
    import base64

    from flask import render_template

    from trainer.certificates.pdf import STYLESHEET, emblems_of, page_of, qr_png, styles_of
    from trainer.documents.render import TEMPLATES

    page = page_of(job)
    qr = "data:image/png;base64," + base64.b64encode(qr_png(page["qr_data"])).decode()
    html = render_template(
        "documents/certificate.html",
        pages=[page],
        styles=styles_of([job]),
        title=job.cert.number,
        author=job.cert.issuer,
    )
    layout = (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")  # in the page, as usual
    html = html.replace("<style>", "<style>\n" + layout, 1)
    for name, svg in emblems_of([job]).items():  # the default emblem: an SVG in the page
        data = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        html = html.replace(f"trainer:image/{name}", data)
    return html.replace(f"trainer:image/{page['qr_name']}", qr).replace(
        "'Trainer Serif'", "'DejaVu Serif'"
    )


def certificate_cases(name, app, health, repeat):
    """Naive baseline, first download, repeated download, bulk issue + render per cert."""
    from sqlalchemy import func

    from trainer.accounts.models import User
    from trainer.certificates.documents import printed_modules
    from trainer.certificates.held_levels import holder_ids
    from trainer.certificates.models import Certificate
    from trainer.certificates.request_helpers import render_stored, settings
    from trainer.certificates.services import issue_bulk
    from trainer.curriculum.models import CertificateLevel, Module
    from trainer.demo.bulk_insert import insert_rows, stored
    from trainer.documents.pool import start_workers
    from trainer.extensions import db
    from trainer.org.models import OrgUnit, Staff

    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # no pango: report and skip the ratio cases
        return [Case(f"{name}: certificates skipped", [0.0], note=f"weasyprint: {exc}")]
    client = app.test_client()
    client.post(
        "/login", data={"identifier": "admin@demo.trainer.vn", "password": "trainer-demo-2026"}
    )
    with app.app_context():
        certs = db.session.scalars(
            select(Certificate)
            .where(Certificate.external.is_(False))
            .order_by(Certificate.id)
            .limit(2 * repeat + 3)
        ).all()
        modules = printed_modules(certs)
        numbers = [c.number for c in certs]
    base = app.config["PUBLIC_BASE_URL"]

    def naive_once(number):
        with app.app_context(), app.test_request_context():
            cert = db.session.scalar(select(Certificate).where(Certificate.number == number))
            html = naive_certificate_html(cert, modules[cert.id], base)
            weasyprint.HTML(string=html).write_pdf()

    def first_download(number):
        assert client.get(f"/certificates/{number}.pdf").status_code == 200

    naive_once(numbers[-2])  # warm-up of both: fonts, stylesheets, templates
    first_download(numbers[-1])
    # in turns, one of each, so that both see the same moments of this shared machine; each
    # sample prints a certificate not printed before in this process, ours and the naive
    # render's each their own (WeasyPrint's first PDF with a font subset of a new number of
    # glyphs parses a C type, ≈ 1.5 ms: rendering one certificate again and again, the naive
    # side met it once where every new certificate may)
    naive, first = [], []
    for ours, theirs in zip(numbers[:repeat], numbers[repeat : 2 * repeat], strict=True):
        turns = ((naive, lambda n=theirs: naive_once(n)), (first, lambda n=ours: first_download(n)))
        for samples, run in turns:
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
    naive_case = Case(f"{name}: naive WeasyPrint certificate (baseline)", naive)
    repeated = against(
        health,
        f"{name}: repeated download",
        lambda: client.get(f"/certificates/{numbers[0]}.pdf"),
        repeat,
    )
    with app.app_context():
        # the demo accounts' commune (since 1 July 2025 the province's units are communes)
        district = db.session.scalar(select(User).where(User.role == "manager")).org_unit
        basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        people = db.session.scalars(
            select(Staff.id)
            .join(OrgUnit, OrgUnit.id == Staff.org_unit_id)
            .where(
                OrgUnit.in_subtree(district.path),
                Staff.status == "active",
                ~Staff.id.in_(holder_ids(basic.rank, local_today())),
            )
        ).all()
        ids = db.session.scalars(
            select(Module.id).where(Module.code.in_([f"IU0{i}" for i in range(1, 7)]))
        ).all()
        today, created = stored(local_today()), stored(datetime.now(UTC))
        insert_rows(
            "results",
            ("staff_id", "module_id", "score", "assessed_on", "created_at"),
            [(p, m, 90, today, created) for p in people for m in ids],
        )
        db.session.commit()
        workers = app.config["CERTIFICATE_RENDER_WORKERS"]
        if workers >= 2:  # started once by a running app or job worker, not per issue
            start_workers(workers, "trainer.certificates.pdf")
        started = time.perf_counter()
        issued = issue_bulk(district, basic, settings=settings())
        db.session.commit()
        render_stored(issued)
        per_cert = (time.perf_counter() - started) / max(len(issued), 1)
        total = db.session.scalar(select(func.count()).select_from(Certificate))
    return [
        naive_case,
        Case(
            f"{name}: first download of a new certificate",
            first,
            baseline=naive_case.name,
            budget=0.5,
        ),
        Case(
            f"{name}: bulk issue + render, per certificate",
            [per_cert],
            baseline=naive_case.name,
            budget=0.25,
            note=f"{len(issued)} certificates in {per_cert * len(issued):.1f} s; {total:,} in all",
        ),
        repeated,
    ]

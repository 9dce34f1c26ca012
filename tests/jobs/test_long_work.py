"""Long work as jobs: large imports (the check, then the write), accounts for a unit with
their password sheets, the bulk issue's progress while it checks and inserts, and the CLI
following a job."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.audit import AuditEntry
from trainer.certificates import services as certificate_services
from trainer.certificates.models import Certificate
from trainer.jobs import services
from trainer.jobs.cli import follow, progress_line
from trainer.jobs.kinds import KINDS
from trainer.jobs.models import Job, JobStatus
from trainer.jobs.queue import queue_of
from trainer.org.models import Staff

from .. import factories


def staff_csv(count, bad=(), unit="DB-A-S1"):
    lines = ["staff_code,full_name,org_code,position"]
    for i in range(count):
        name = "" if i in bad else f"Lò Văn Nhập {i}"
        lines.append(f"NV{i:03d},{name},{unit},teacher")
    return ("\n".join(lines) + "\n").encode()


def upload(client, content, kind="staff", name="roster.csv"):
    return client.post(
        "/imports",
        data={"kind": kind, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def hidden(page, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    return match and match.group(1).replace("&#34;", '"')


def job_at(db, location):
    db.session.expire_all()
    return db.session.get(Job, int(location.rsplit("/", 1)[1]))


def staff_count(db):
    return db.session.scalar(select(func.count()).select_from(Staff))


@pytest.fixture
def small_threshold(app, monkeypatch):
    """Files of more than 2 rows count as large (a province's roster, in small)."""
    monkeypatch.setitem(app.config, "IMPORT_INLINE_ROWS", 2)


def test_a_large_import_is_checked_then_written_by_jobs(app, client, db, login_as, small_threshold):
    login_as("admin")
    started = upload(client, staff_csv(3))
    assert started.status_code == 302 and started.location.startswith("/jobs/")
    check = job_at(db, started.location)
    assert check.kind == "imports.check" and check.status == JobStatus.DONE
    assert check.result["report"]["ok"] and check.result["report"]["created"] == 3
    assert staff_count(db) == 0  # a check writes nothing
    page = client.get(started.location).get_data(as_text=True)
    assert "3 dòng: 3 tạo mới, 0 cập nhật, 0 không đổi." in page
    token = hidden(page, "token")
    assert token == check.params["token"] and hidden(page, "kind") == "staff"
    confirm = {
        "token": token,
        "kind": "staff",
        "filename": hidden(page, "filename"),
        "columns": hidden(page, "columns"),
    }
    written = client.post("/imports/confirm", data=confirm)
    assert written.status_code == 302 and written.location.startswith("/jobs/")
    write = job_at(db, written.location)
    assert write.kind == "imports.write" and write.status == JobStatus.DONE
    assert write.result["report"]["written"] and write.result["report"]["created"] == 3
    assert staff_count(db) == 3
    assert not (Path(app.instance_path) / "uploads" / token).exists()
    outcome = client.get(written.location).get_data(as_text=True)
    assert "Đã nhập 3 dòng: 3 tạo mới, 0 cập nhật, 0 không đổi." in outcome
    # the check's page no longer offers to import a file that was imported
    assert 'name="token"' not in client.get(started.location).get_data(as_text=True)
    assert client.post("/imports/confirm", data=confirm).status_code == 400
    assert staff_count(db) == 3
    listing = client.get("/jobs").get_data(as_text=True)
    assert listing.count("roster.csv") == 2 and "Kiểm tra tệp nhập dữ liệu" in listing


def test_a_large_file_with_bad_rows_shows_every_row_on_the_jobs_page(
    app, client, db, login_as, small_threshold
):
    login_as("admin")
    started = upload(client, staff_csv(5, bad={1, 3}))
    check = job_at(db, started.location)
    assert check.status == JobStatus.DONE and not check.result["report"]["ok"]
    assert [e["row"] for e in check.result["report"]["errors"]] == [3, 5]
    page = client.get(started.location).get_data(as_text=True)
    assert page.count('<tr><td class="num">') == 2 and 'name="token"' not in page
    assert not (Path(app.instance_path) / "uploads" / check.params["token"]).exists()
    assert staff_count(db) == 0


def test_a_small_import_keeps_the_one_page_flow(client, db, login_as):
    login_as("admin")
    page = upload(client, staff_csv(3))
    assert page.status_code == 200 and "3 dòng: 3 tạo mới" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_an_import_write_run_again_after_its_commit_changes_nothing(
    app, client, db, login_as, small_threshold
):
    """A worker that died after committing the import but before recording the job's end:
    the rerun finds the outcome in the job and neither writes nor audits twice."""
    login_as("admin")
    page = client.get(upload(client, staff_csv(3)).location).get_data(as_text=True)
    written = client.post(
        "/imports/confirm",
        data={"token": hidden(page, "token"), "kind": "staff", "filename": "roster.csv"},
    )
    job = job_at(db, written.location)
    first = job.result
    job.status = JobStatus.RUNNING  # as the dead worker left it
    db.session.commit()
    progress = services.Progress(queue_of(app), job.id)
    assert KINDS["imports.write"].work(job, progress) == first
    db.session.commit()
    assert staff_count(db) == 3
    audits = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import.staff")
    assert db.session.scalar(audits) == 1


def test_an_import_job_whose_upload_is_gone_fails_in_the_users_language(
    app, db, tree, small_threshold
):
    params = {"import_kind": "staff", "token": "x" * 32, "filename": "a.csv", "locale": "vi"}
    job = services.start_job(queue_of(app), "imports.write", params)
    assert job.status == JobStatus.FAILED
    assert job.error == "Tệp đã tải lên không còn trên máy chủ: hãy tải lên lại."


def test_bulk_accounts_job_serves_its_sheets_to_its_starter_only(client, db, login_as, tree):
    for i in range(3):
        factories.make_staff(tree["DB-A-S1"], f"Quàng Thị Mai {i}", staff_code=f"M{i}")
    db.session.commit()
    login_as("manager")
    started = client.post("/accounts/bulk", data={"org": "DB-A"})
    job = job_at(db, started.location)
    assert job.kind == "accounts.create_bulk" and job.status == JobStatus.DONE
    assert job.result == {
        "org": "DB-A",
        "created": 3,
        "schools": 1,
        "file": "accounts-DB-A.zip",
    }  # no password in the job's outcome, which admins and the API see
    sheets = client.get(started.location + "/file")
    assert sheets.headers["Cache-Control"] == "no-store"
    assert zipfile.ZipFile(io.BytesIO(sheets.data)).namelist() == ["DB-A-S1.pdf"]
    client.post("/logout")
    login_as("admin")  # sees every job, but not someone else's passwords
    page = client.get(started.location)
    assert page.status_code == 200 and started.location + "/file" not in page.get_data(as_text=True)
    assert client.get(started.location + "/file").status_code == 404


def test_bulk_accounts_job_run_again_after_its_commit_creates_nobody(app, db, tree):
    factories.make_staff(tree["DB-A-S1"], "Quàng Thị Mai", staff_code="M1")
    db.session.commit()
    job = services.start_job(queue_of(app), "accounts.create_bulk", {"org": "DB-A"})
    first = job.result
    progress = services.Progress(queue_of(app), job.id)
    assert KINDS["accounts.create_bulk"].work(job, progress) == first
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


class Recorder:
    """A job's progress as the work reports it: (stage, done, total) at every call."""

    def __init__(self):
        self.done, self.total, self.stage, self.calls = 0, None, "", []

    def set_total(self, total, stage=None):
        self.total, self.stage = total, stage or self.stage
        self.calls.append((self.stage, self.done, total))

    def __call__(self, count=1):
        self.done += count
        self.calls.append((self.stage, self.done, self.total))


def test_bulk_issue_reports_progress_while_checking_and_inserting(db, tree, eligible, monkeypatch):
    eligible(5)
    factories.make_staff(tree["DB-A-S2"], "Chưa Học Gì", staff_code="N1")  # not eligible
    db.session.commit()
    monkeypatch.setattr(certificate_services, "PROGRESS_CHUNK", 2)
    from trainer.certificates.request_helpers import level_or_none

    progress = Recorder()
    certs = certificate_services.issue_bulk(tree["DB-A"], level_or_none("basic"), progress=progress)
    assert len(certs) == 5
    assert progress.calls == [
        ("eligibility", 0, 6),
        ("eligibility", 2, 6),
        ("eligibility", 4, 6),
        ("eligibility", 6, 6),
        ("issuing", 0, 5),
        ("issuing", 2, 5),
        ("issuing", 4, 5),
        ("issuing", 5, 5),
    ]
    numbers = [c.number for c in certs]
    assert [int(n[-6:]) for n in numbers] == [1, 2, 3, 4, 5]  # one run across the chunks


def test_progress_line_shows_done_total_elapsed_and_left():
    line = progress_line(
        {
            "status": "running",
            "stage": "rendering",
            "done": 1200,
            "total": 7700,
            "elapsed_seconds": 75,
            "remaining_seconds": 3725,
        }
    )
    assert line == "running (rendering) · 1,200/7,700 (15%) · elapsed 1:15 · left 1:02:05"


def test_follow_prints_a_line_at_least_every_two_seconds(app, db, tree, tmp_path):
    """A job that a worker advances while the terminal waits (the clock is simulated)."""
    from huey import SqliteHuey

    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
    huey.run_job = lambda job_id: None
    app.extensions["huey"] = huey
    job_id = services.start_job(
        huey, "certificates.issue_bulk", {"org": "DB-A", "level": "basic"}
    ).id
    clock, lines = [0.0], []
    worker = services.Progress(huey, job_id, every=0)

    def sleep(seconds):
        clock[0] += seconds
        if clock[0] == 0.25:
            services.claim(job_id)
            worker.set_total(40, stage="rendering")
        elif clock[0] < 10:
            worker(1)
        else:
            services.finish(job_id, JobStatus.DONE, result={"numbers": []}, done=40, total=40)

    def echo(line):
        lines.append((clock[0], line))

    job = follow(job_id, echo=echo, sleep=sleep, now=lambda: clock[0])
    assert job.status == JobStatus.DONE
    times, texts = [t for t, _line in lines], [line for _t, line in lines]
    assert texts[0].startswith(f"job {job_id}: queued") and texts[-1].startswith(
        f"job {job_id}: done"
    )
    assert max(b - a for a, b in zip(times, times[1:], strict=False)) <= 2
    assert len(lines) >= 9  # about one a second over 10 s of work
    done = [
        int(m.group(1))
        for m in map(re.compile(r"running \(rendering\) · (\d+)/40").search, texts)
        if m
    ]
    assert len(done) >= 7 and done == sorted(done) and done[-1] > done[0]


def test_cli_issue_bulk_as_a_job(app, db, eligible, runner):
    eligible(2)
    queued = runner.invoke(
        args=["certificates", "issue-bulk", "--org", "DB-A", "--level", "basic", "--job"]
    )
    assert queued.exit_code == 0, queued.output
    job = db.session.scalar(select(Job))
    assert f"job {job.id}: done" in queued.output and "issued 2 certificates" in queued.output
    assert job.user_id is None and db.session.scalar(select(func.count(Certificate.id))) == 2


def test_cli_no_wait_only_queues(app, db, tree, runner, tmp_path):
    from huey import SqliteHuey

    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
    queued = []
    huey.run_job = queued.append
    app.extensions["huey"] = huey
    answer = runner.invoke(
        args=["certificates", "issue-bulk", "--org", "DB-A", "--level", "basic", "--no-wait"]
    )
    assert answer.exit_code == 0, answer.output
    assert queued and f"trainer jobs wait {queued[0]}" in answer.output


def test_cli_import_as_a_job_reports_like_the_plain_import(app, db, tree, runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(staff_csv(3, bad={2}))
    answer = runner.invoke(args=["import", "staff", str(bad), "--job", "--lang", "en"])
    assert answer.exit_code == 1
    assert "row 4, column full_name: required value missing" in answer.output
    good = tmp_path / "good.csv"
    good.write_bytes(staff_csv(3))
    checked = runner.invoke(args=["import", "staff", str(good), "--job", "--dry-run"])
    assert checked.exit_code == 0 and staff_count(db) == 0
    assert not list((Path(app.instance_path) / "uploads").iterdir())  # nothing left waiting
    answer = runner.invoke(args=["import", "staff", str(good), "--job", "--lang", "en"])
    assert answer.exit_code == 0, answer.output
    assert "Imported 3 row(s): 3 created" in answer.output and staff_count(db) == 3
    kinds = db.session.scalars(select(Job.kind).order_by(Job.id)).all()
    assert kinds == ["imports.write", "imports.check", "imports.write"]


def test_a_failed_import_shows_why_in_vietnamese_and_a_retry_finishes_it(app, client, db, login_as):
    """A real failure (the upload went missing), read on the job's page in Vietnamese; once
    the cause is gone, **Thử lại** runs the same job again to its end."""
    from trainer.imports.uploads import upload_path

    admin = login_as("admin")
    token = "t" * 32
    params = {"import_kind": "staff", "token": token, "filename": "a.csv", "locale": "vi"}
    job = services.start_job(queue_of(app), "imports.write", params, user=admin)
    assert job.status == JobStatus.FAILED
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Tệp đã tải lên không còn trên máy chủ: hãy tải lên lại." in page
    assert "Không thành công" in page  # the status, in Vietnamese too
    assert "Thử lại" in page
    upload_path(app.instance_path, token).write_bytes(staff_csv(2))
    retried = client.post(f"/jobs/{job.id}/retry")
    assert retried.status_code == 302 and retried.location == f"/jobs/{job.id}"
    job = job_at(db, retried.location)
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error is None
    assert job.result["report"]["created"] == 2 and staff_count(db) == 2
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Tệp đã tải lên không còn" not in page and "Thử lại" not in page


def test_bulk_issue_job_reports_progress_for_every_certificate_stored(
    app, db, tree, eligible, monkeypatch, tmp_path
):
    """The rendering stage is heard of for each PDF stored as its WeasyPrint pass ends, not
    once per batch read from the database (a province's issue went quiet for minutes)."""
    eligible(5)
    monkeypatch.setitem(app.config, "CERTIFICATE_STORE", str(tmp_path))
    monkeypatch.setitem(app.config, "CERTIFICATE_RENDER_CHUNK", 2)
    monkeypatch.setitem(app.config, "CERTIFICATE_RENDER_WORKERS", 0)
    job = Job(kind="certificates.issue_bulk", params={"org": "DB-A", "level": "basic"})
    db.session.add(job)
    db.session.flush()
    progress = Recorder()
    with app.test_request_context():
        result = KINDS["certificates.issue_bulk"].work(job, progress)
    assert result["issued"] == 5
    rendering = [call for call in progress.calls if call[0] == "rendering"]
    assert rendering == [("rendering", done, 5) for done in range(6)]
    assert sorted(path.stem for path in tmp_path.rglob("*.pdf")) == sorted(result["numbers"])

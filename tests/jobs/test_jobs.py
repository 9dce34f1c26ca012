"""Jobs: started from pages and the API, followed live, cancelled, failed and retried."""

import pytest
from huey import SqliteHuey
from sqlalchemy import func, select

from trainer.certificates.models import Certificate
from trainer.errors import InvalidInput
from trainer.jobs import services
from trainer.jobs.kinds import KINDS, JobKind
from trainer.jobs.models import Job, JobStatus
from trainer.jobs.queue import queue_of

from .. import factories


def test_bulk_issue_page_starts_a_job_and_shows_its_outcome(client, db, login_as, eligible):
    people = eligible(3)
    login_as("trainer")
    started = client.post("/certificates/bulk", data={"org": "DB-A", "level": "basic"})
    assert started.status_code == 302
    job = db.session.scalar(select(Job))
    assert started.location == f"/jobs/{job.id}"
    assert job.status == JobStatus.DONE and job.kind == "certificates.issue_bulk"
    numbers = db.session.scalars(select(Certificate.number).order_by(Certificate.number)).all()
    assert job.result["numbers"] == numbers and len(numbers) == len(people)
    page = client.get(started.location).get_data(as_text=True)
    assert "Xong" in page and f'href="/certificates/{numbers[0]}"' in page
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert state["status"] == "done" and state["done"] == state["total"] == 3
    listing = client.get("/jobs").get_data(as_text=True)
    assert f'href="/jobs/{job.id}"' in listing and "Cấp chứng chỉ hàng loạt" in listing


def test_jobs_are_their_starters(client, db, login_as, eligible, app):
    eligible(1)
    login_as("trainer")
    client.post("/certificates/bulk", data={"org": "DB-A", "level": "basic"})
    job_id = db.session.scalar(select(Job.id))
    client.post("/logout")
    login_as("manager")  # another user of the same district: not their job
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}.json").status_code == 404
    assert f"/jobs/{job_id}" not in client.get("/jobs").get_data(as_text=True)


def test_api_job_status_and_202_on_a_real_queue(app, db, tree, eligible, tmp_path):
    from trainer.accounts.services import issue_token

    eligible(2)
    user = factories.make_user("trainer", tree["DB-A"])
    db.session.commit()
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    # a queue with no worker: the job waits, and the API says where to follow it
    app.extensions["huey"] = huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
    huey.run_job = lambda job_id: huey.put(f"queued:{job_id}", True)
    client = app.test_client()
    answer = client.post(
        "/api/v1/certificates/bulk", json={"org": "DB-A", "level": "basic"}, headers=headers
    )
    assert answer.status_code == 202
    body = answer.get_json()
    assert body["status_url"] == f"/api/v1/jobs/{body['job_id']}"
    state = client.get(body["status_url"], headers=headers).get_json()
    assert state == {
        "id": body["job_id"],
        "kind": "certificates.issue_bulk",
        "status": "queued",
        "done": 0,
        "total": None,
        "result": None,
        "error": None,
    }
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    other = factories.make_user("trainer", tree["DB-A"])
    db.session.commit()
    other_token = issue_token(other)
    db.session.commit()
    assert (
        client.get(
            body["status_url"], headers={"Authorization": f"Bearer {other_token}"}
        ).status_code
        == 404
    )


def test_cancel_a_queued_job_and_retry_it(app, db, tree, eligible, tmp_path, client, login_as):
    eligible(2)
    user = login_as("trainer")
    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
    queued = []
    huey.run_job = queued.append
    app.extensions["huey"] = huey
    job = services.start_job(
        huey, "certificates.issue_bulk", {"org": "DB-A", "level": "basic"}, user=user
    )
    assert queued == [job.id]
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page  # without JavaScript the page follows itself
    assert "/static/js/jobs.js" in page and 'data-final="false"' in page
    client.post(f"/jobs/{job.id}/cancel")
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.CANCELLED
    from trainer.jobs.runner import run

    run(app, job.id)  # the queue's message arrives later: the job does not run
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    client.post(f"/jobs/{job.id}/retry")
    assert queued == [job.id, job.id]
    run(app, job.id)
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.DONE
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_cancel_while_running_stops_at_the_next_step(app, db, tree, tmp_path):
    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
    progress = services.Progress(huey, 7, every=0)
    progress.set_total(10)
    progress(1)
    huey.put(services.cancel_key(7), True)
    with pytest.raises(services.JobCancelled):
        progress(1)
    assert services.live_state(huey, 7)["done"] == 1


@pytest.fixture
def failing_kind():
    def work(job, progress):
        progress.set_total(2)
        progress(1)
        raise InvalidInput(
            "Tệp không đọc được." if job.params["locale"] == "vi" else "The file cannot be read."
        )

    KINDS["test.fails"] = JobKind("test.fails", "Thử", work)
    yield
    del KINDS["test.fails"]


def test_a_failed_job_shows_its_reason_and_can_be_retried(app, db, client, login_as, failing_kind):
    login_as("trainer")
    with app.test_request_context():
        from flask_login import login_user

        from trainer.accounts.models import User
        from trainer.jobs.launch import launch

        user = db.session.scalar(select(User))
        login_user(user)
        job = launch("test.fails", {}, user=user)
    assert job.status == JobStatus.FAILED and job.error == "Tệp không đọc được."
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Tệp không đọc được." in page and "Thử lại" in page
    client.post(f"/jobs/{job.id}/retry")
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED and job.attempts == 2


def test_unexpected_error_is_a_failure_in_the_users_language(app, db, tree, failing_kind):
    def work(job, progress):
        raise ZeroDivisionError

    KINDS["test.crash"] = JobKind("test.crash", "Thử", work)
    try:
        job = services.start_job(queue_of(app), "test.crash", {"locale": "en"})
    finally:
        del KINDS["test.crash"]
    assert job.status == JobStatus.FAILED and job.error.startswith("The work stopped")


def test_print_unit_job_writes_a_file_served_only_to_its_starter(client, db, login_as, eligible):
    eligible(2)
    login_as("trainer")
    client.post("/certificates/bulk", data={"org": "DB-A", "level": "basic"})
    started = client.post("/certificates/print.zip", data={"org": "DB-A", "level": "basic"})
    file = client.get(started.location + "/file")
    assert file.status_code == 200 and file.data[:2] == b"PK"
    assert "no-store" in file.headers["Cache-Control"]


def test_printing_a_units_certificates_starts_only_from_the_forms_post(
    app, client, db, login_as, eligible
):
    """Issue 17: a GET of print.pdf/zip (a link, a prefetch, a crawler) never starts a job;
    the bulk page's buttons POST with the CSRF token, and that POST does."""
    import re

    eligible(2)
    login_as("trainer")
    client.post("/certificates/bulk", data={"org": "DB-A", "level": "basic"})
    jobs = select(func.count()).select_from(Job).where(Job.kind == "certificates.print_unit")
    for fmt in ("pdf", "zip"):
        answer = client.get(f"/certificates/print.{fmt}?org=DB-A&level=basic")
        assert answer.status_code == 302
        assert answer.location == "/certificates/bulk?org=DB-A&level=basic"  # the page offering it
    assert db.session.scalar(jobs) == 0
    page = client.get("/certificates/bulk?org=DB-A&level=basic").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="(/certificates/print\.(?:pdf|zip))"', page)
    assert forms == ["/certificates/print.pdf", "/certificates/print.zip"]
    assert 'href="/certificates/print.' not in page  # no link that starts work

    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/certificates/print.pdf", data={"org": "DB-A", "level": "basic"})
    assert refused.status_code == 400 and db.session.scalar(jobs) == 0  # no token, no job
    page = client.get("/certificates/bulk?org=DB-A&level=basic").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    started = client.post(
        "/certificates/print.pdf", data={"org": "DB-A", "level": "basic", "csrf_token": token}
    )
    job = db.session.scalar(select(Job).where(Job.kind == "certificates.print_unit"))
    assert started.status_code == 302 and started.location == f"/jobs/{job.id}"
    assert job.params["fmt"] == "pdf" and db.session.scalar(jobs) == 1


def test_a_long_staff_export_is_a_job_with_the_same_filters(app, client, db, login_as, tree):
    for i in range(3):
        factories.make_staff(tree["DB-A-S1"], f"Quàng Văn Đức {i}", staff_code=f"Q{i}")
    factories.make_staff(tree["DB-A-S2"], "Lò Thị Hương", staff_code="L1")
    db.session.commit()
    login_as("manager")
    app.config["EXPORT_INLINE_ROWS"] = 2  # a province's list, in small
    jobs = select(func.count()).select_from(Job)
    # the GET (a link, a prefetch, a crawler) answers a page with the button and starts nothing
    offer = client.get("/staff/export.csv?org=DB-A-S1&q=duc")
    assert offer.status_code == 200 and db.session.scalar(jobs) == 0
    assert 'action="/staff/export.csv?org=DB-A-S1&amp;q=duc"' in offer.get_data(as_text=True)
    started = client.post("/staff/export.csv?org=DB-A-S1&q=duc")
    assert started.status_code == 302 and started.location.startswith("/jobs/")
    assert db.session.scalar(jobs) == 1
    page = client.get(started.location).get_data(as_text=True)
    assert "Xuất danh sách cán bộ" in page and "staff.csv" in page
    text = client.get(started.location + "/file").data.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 4 and "Quàng Văn Đức 0" in text and "Lò Thị Hương" not in text
    app.config["EXPORT_INLINE_ROWS"] = 3000
    inline = client.get("/staff/export.csv?org=DB-A-S1&q=duc")
    assert inline.status_code == 200 and inline.data.decode("utf-8-sig") == text


def test_refused_job_operations_have_a_code_and_a_sentence(app, db, tree):
    """Issue 13 item 7: a refusal is a stable code with a human message, not the code twice."""
    from trainer.errors import Conflict
    from trainer.jobs import services
    from trainer.jobs.models import Job, JobStatus

    job = Job(kind="imports.check", status=JobStatus.DONE, params={})
    db.session.add(job)
    db.session.flush()
    refusals = ((services.request_cancel, "job_finished"), (services.retry, "job_not_retryable"))
    for operation, code in refusals:
        with pytest.raises(Conflict) as refused:
            operation(None, job)
        assert refused.value.code == code
        assert refused.value.message != code
        assert " " in refused.value.message

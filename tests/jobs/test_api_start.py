"""Long operations started through the API: imports and accounts for a unit answer
202 {job_id, status_url} on a real queue, in the caller's scope, and the job's file is
downloadable by its starter only."""

import io
import zipfile

import pytest
from huey import SqliteHuey
from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.accounts.services import issue_token
from trainer.jobs.models import Job, JobStatus
from trainer.jobs.runner import run
from trainer.org.models import Staff

from .. import factories


def staff_csv(count, bad=()):
    lines = ["staff_code,full_name,org_code,position"]
    for i in range(count):
        name = "" if i in bad else f"Lò Văn Nhập {i}"
        lines.append(f"NV{i:03d},{name},DB-A-S1,teacher")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def caller(app, db, tree):
    """``caller(role, unit)``: (headers, user) of a new user with an API token."""

    def make(role, unit="DB"):
        user = factories.make_user(role, tree[unit])
        db.session.commit()
        token = issue_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}, user

    return make


@pytest.fixture
def waiting_queue(app, tmp_path):
    """A real SQLite queue with no worker: started jobs wait; their ids are recorded."""
    huey = SqliteHuey("t", filename=str(tmp_path / "q.db"))
    queued = []
    huey.run_job = queued.append
    app.extensions["huey"] = huey
    return queued


def post_file(client, path, headers, content, name="roster.csv", **form):
    return client.post(
        path,
        data={"file": (io.BytesIO(content), name), **form},
        headers=headers,
        content_type="multipart/form-data",
    )


def staff_count(db):
    """How many staff members the files of these tests brought (codes NV…)."""
    return db.session.scalar(
        select(func.count()).select_from(Staff).where(Staff.staff_code.like("NV%"))
    )


def test_an_import_answers_202_and_a_worker_writes_it(app, db, client, caller, waiting_queue):
    headers, _user = caller("admin")
    answer = post_file(client, "/api/v1/imports/staff", headers, staff_csv(3))
    assert answer.status_code == 202
    body = answer.get_json()
    assert set(body) == {"job_id", "status_url"}
    assert body["status_url"] == f"/api/v1/jobs/{body['job_id']}"
    assert waiting_queue == [body["job_id"]] and staff_count(db) == 0
    assert client.get(body["status_url"], headers=headers).get_json()["status"] == "queued"
    run(app, body["job_id"])
    state = client.get(body["status_url"], headers=headers).get_json()
    assert state["status"] == "done" and state["kind"] == "imports.write"
    assert state["result"]["report"]["created"] == 3 and state["result"]["report"]["written"]
    assert staff_count(db) == 3


def test_an_import_with_bad_rows_writes_nothing_and_reports_every_row(db, client, caller):
    headers, _user = caller("admin")
    answer = post_file(client, "/api/v1/imports/staff", headers, staff_csv(4, bad=(1, 3)))
    assert answer.status_code == 422  # the tests' queue runs the job within the request
    body = answer.get_json()
    assert body["error"] == "import_refused" and body["report"]["ok"] is False
    assert [e["row"] for e in body["report"]["errors"]] == [3, 5]
    assert staff_count(db) == 0


def test_a_dry_run_checks_and_writes_nothing(db, client, caller):
    headers, _user = caller("admin")
    answer = post_file(client, "/api/v1/imports/staff?dry_run=true", headers, staff_csv(2))
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["job"]["kind"] == "imports.check" and body["report"]["written"] is False
    assert body["report"]["created"] == 2 and staff_count(db) == 0


def test_imports_refuse_callers_without_the_right_and_bad_requests(db, client, caller):
    headers, _user = caller("manager", "DB-A")
    assert post_file(client, "/api/v1/imports/staff", headers, staff_csv(1)).status_code == 404
    admin, _user = caller("admin")
    assert post_file(client, "/api/v1/imports/users", admin, staff_csv(1)).status_code == 404
    missing = client.post("/api/v1/imports/staff", headers=admin, data={})
    assert missing.status_code == 400 and missing.get_json()["error"] == "field_required"
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    assert staff_count(db) == 0


def test_bulk_accounts_answer_202_in_the_callers_scope(
    app, db, client, caller, tree, waiting_queue
):
    for i in range(2):
        factories.make_staff(tree["DB-A-S1"], f"Quàng Thị Mai {i}", staff_code=f"M{i}")
    factories.make_staff(tree["DB-B-S1"], "Lò Văn Xa", staff_code="X1")
    db.session.commit()
    headers, manager = caller("manager", "DB-A")
    outside = client.post("/api/v1/accounts/bulk", json={"org": "DB-B"}, headers=headers)
    assert outside.status_code == 404 and waiting_queue == []
    answer = client.post("/api/v1/accounts/bulk", json={"org": "DB-A"}, headers=headers)
    assert answer.status_code == 202
    job_id = answer.get_json()["job_id"]
    run(app, job_id)
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.DONE and job.user_id == manager.id
    assert job.result["created"] == 2  # DB-B's staff member is outside the caller's scope
    sheets = client.get(f"/api/v1/jobs/{job_id}/file", headers=headers)
    assert sheets.status_code == 200 and sheets.headers["Cache-Control"] == "no-store"
    assert zipfile.ZipFile(io.BytesIO(sheets.data)).namelist() == ["DB-A-S1.pdf"]
    admin, _user = caller("admin")  # sees the job, never someone else's passwords
    assert client.get(f"/api/v1/jobs/{job_id}", headers=admin).status_code == 200
    assert client.get(f"/api/v1/jobs/{job_id}/file", headers=admin).status_code == 404
    again = client.post("/api/v1/accounts/bulk", json={"org": "DB-A"}, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"] == "all_have_accounts"
    assert db.session.scalar(select(func.count()).select_from(User)) == 2 + 2  # + the callers


def test_bulk_accounts_need_the_right_and_an_org(db, client, caller):
    teacher, _user = caller("trainer", "DB-A")
    refused = client.post("/api/v1/accounts/bulk", json={"org": "DB-A"}, headers=teacher)
    assert refused.status_code == 404
    manager, _user = caller("manager", "DB-A")
    bad = client.post("/api/v1/accounts/bulk", json={"org": 7}, headers=manager)
    assert bad.status_code == 400 and bad.get_json()["error"] == "wrong_type"
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0

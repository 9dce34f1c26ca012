"""Job files are deleted after their time: password sheets after 24 h, other files after
7 days, counted from the job's end; the job's page then says the file has expired."""

import os
import time
from datetime import timedelta

from sqlalchemy import update

from trainer.imports.uploads import keep_upload, upload_path
from trainer.jobs import services
from trainer.jobs.cleanup import clean_job_files
from trainer.jobs.models import Job
from trainer.jobs.queue import queue_of
from trainer.models_base import utcnow

from .. import factories


def ended_ago(db, job, hours):
    """Pretend ``job`` ended ``hours`` ago."""
    db.session.execute(
        update(Job).where(Job.id == job.id).values(finished_at=utcnow() - timedelta(hours=hours))
    )
    db.session.commit()
    db.session.expire_all()


def accounts_job(client, db, tree, login_as):
    factories.make_staff(tree["DB-A-S1"], "Quàng Thị Mai", staff_code="M1")
    db.session.commit()
    login_as("manager")
    started = client.post("/accounts/bulk", data={"org": "DB-A"})
    return db.session.get(Job, int(started.location.rsplit("/", 1)[1]))


def test_password_sheets_go_after_a_day_and_the_page_says_so(app, client, db, tree, login_as):
    job = accounts_job(client, db, tree, login_as)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"/jobs/{job.id}/file" in page and "24 giờ sau" in page
    ended_ago(db, job, 23)
    assert clean_job_files(app) == []
    assert client.get(f"/jobs/{job.id}/file").status_code == 200  # a download keeps it
    ended_ago(db, job, 25)
    assert clean_job_files(app) == [job.id]
    assert not os.path.exists(f"{app.instance_path}/jobs/{job.id}")
    assert client.get(f"/jobs/{job.id}/file").status_code == 404
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Các phiếu mật khẩu đã hết hạn" in page and f"/jobs/{job.id}/file" not in page
    assert "1 tài khoản" in page  # the outcome stays


def test_other_files_are_kept_a_week(app, client, db, tree, login_as):
    login_as("admin")  # sees every job: this one was started from the terminal
    job = services.start_job(queue_of(app), "directory.staff_export", {"fmt": "csv"})
    name = job.result["file"]
    ended_ago(db, job, 25)
    assert clean_job_files(app) == []
    ended_ago(db, job, 7 * 24 + 1)
    assert clean_job_files(app) == [job.id]
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"Tệp {name} đã hết hạn" in page


def test_running_jobs_keep_their_folder_and_old_uploads_go(app, db, tree):
    job = Job(kind="directory.staff_export", status="running", params={})
    db.session.add(job)
    db.session.commit()
    folder = services.files_dir(app.instance_path, job.id)
    (folder / "part.csv").write_text("x")
    orphan = services.files_dir(app.instance_path, 999999)  # its job's row is gone
    fresh = keep_upload(app.instance_path, b"a")
    stale = keep_upload(app.instance_path, b"b")
    old = time.time() - 25 * 3600
    os.utime(upload_path(app.instance_path, stale), (old, old))
    assert clean_job_files(app) == [999999]
    assert (folder / "part.csv").is_file() and not orphan.exists()
    assert upload_path(app.instance_path, fresh).is_file()
    assert not upload_path(app.instance_path, stale).exists()


def test_the_worker_cleans_every_hour(app):
    periodic = {task.name for task in queue_of(app)._registry.periodic_tasks}
    assert "trainer.clean_job_files" in periodic

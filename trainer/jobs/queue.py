"""The Huey queue behind the jobs: SQLite by default (no server), Redis for several machines.

``JOBS_QUEUE`` chooses it: unset → a SQLite file in the instance folder; ``redis://…`` → Redis;
``immediate`` → jobs run inside the call that starts them (tests).
"""

import logging
from pathlib import Path

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab

log = logging.getLogger(__name__)

#: The one task name every process agrees on.
TASK_NAME = "trainer.run_job"


def make_huey(config, instance_path):
    """The Huey instance ``config`` asks for (never bound to a module global)."""
    choice = config.get("JOBS_QUEUE") or ""
    if choice == "immediate":
        return MemoryHuey("trainer", immediate=True, utc=True)
    if choice.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("trainer", url=choice, utc=True)
    path = (
        Path(choice[len("sqlite:///") :])
        if choice.startswith("sqlite:///")
        else (Path(instance_path) / "jobs.sqlite3")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("trainer", filename=str(path), utc=True)


def init_app(app):
    """Give ``app`` its queue, with the job runner and the periodic tasks registered on it."""
    from . import runner

    huey = make_huey(app.config, app.instance_path)
    app.extensions["huey"] = huey

    @huey.task(name=TASK_NAME)
    def run_job(job_id):
        runner.run(app, job_id)

    @huey.periodic_task(crontab(minute="*"), name="trainer.recover_jobs")
    def recover_jobs():
        runner.recover(app)

    # 02:00 in Vietnam is 19:00 UTC (the queue keeps UTC).
    backup_at = app.config.get("BACKUP_CRONTAB") or {"hour": "19", "minute": "0"}

    @huey.periodic_task(crontab(**backup_at), name="trainer.nightly_backup")
    def nightly_backup():
        runner.nightly_backup(app)

    @huey.periodic_task(crontab(minute="17"), name="trainer.clean_job_files")
    def clean_job_files():
        runner.clean_files(app)

    @huey.on_startup(name="trainer.recover_on_startup")
    def recover_on_startup():
        runner.recover(app, at_startup=True)

    huey.run_job = run_job
    return huey


def queue_of(app):
    return app.extensions["huey"]

"""A job worker in its own process, for the tests that kill it: ``python worker_proc.py
DATABASE_URL QUEUE INSTANCE_PATH [pause-after-apply]``. With ``pause-after-apply`` an import
stops for a minute once it has written everything and before its transaction commits (the
file ``applied`` in the instance folder says it got there), for the test to kill it then."""

import sys
import time
from pathlib import Path

from trainer import create_app
from trainer.jobs.cli import run_worker


def pause_after_apply(instance):
    from trainer.imports.orgunits import OrgUnitImporter
    from trainer.imports.staff import StaffImporter

    for cls in (StaffImporter, OrgUnitImporter):
        original = cls.apply

        def apply(self, plan, original=original):
            original(self, plan)
            Path(instance, "applied").touch()
            time.sleep(60)

        cls.apply = apply


if __name__ == "__main__":
    url, queue, instance = sys.argv[1:4]
    if sys.argv[4:] == ["pause-after-apply"]:
        pause_after_apply(instance)
    app = create_app(
        {
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "JOBS_QUEUE": queue,
            "CERTIFICATE_STORE": instance + "/certificates",
            "CERTIFICATE_RENDER_BATCH": 5,
            "PUBLIC_BASE_URL": "https://t.example.vn",
            "TRAINER_ENV": "development",
        }
    )
    app.instance_path = instance
    run_worker(app, workers=1)

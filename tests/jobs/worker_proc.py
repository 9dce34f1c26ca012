"""A job worker in its own process, for the tests that kill it: ``python worker_proc.py
DATABASE_URL QUEUE INSTANCE_PATH``."""

import sys

from trainer import create_app
from trainer.jobs.cli import run_worker

if __name__ == "__main__":
    url, queue, instance = sys.argv[1:4]
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

"""Progress of bulk rendering at least every second of work, whatever the load: a report
for every PDF stored, passes made smaller when they get slow, and no wait for the worker
processes' start-up (the structure is tested, never the clock)."""

import os

from trainer.certificates import documents, services
from trainer.certificates.storage import FileStore
from trainer.documents import pool

from .. import factories
from .conftest import BASIC


def test_a_pass_is_bounded_by_time():
    assert documents.pass_size(None, 20) == documents.FIRST_PASS  # not timed yet: small
    assert documents.pass_size(None, 2) == 2
    assert documents.pass_size(0.001, 20) == 20  # fast: the configured chunk
    per_certificate = documents.PASS_SECONDS / 5
    assert documents.pass_size(per_certificate, 20) == 5  # slow: what fits in PASS_SECONDS
    assert documents.pass_size(documents.PASS_SECONDS * 3, 20) == 1


def test_passes_shrink_when_a_pass_is_slow(
    app, db, tree, levels, pass_modules, tmp_path, monkeypatch
):
    for i in range(5):
        pass_modules(factories.make_staff(tree["DB-A-S1"], f"Người {i}"), *BASIC)
    numbers = services.issue_bulk_numbers(tree["DB-A"], levels["basic"])
    db.session.commit()
    sizes, write = [], documents.write_certificate_pdfs

    def recorded(batch):
        sizes.append(len(batch))
        return write(batch)

    monkeypatch.setattr(documents, "write_certificate_pdfs", recorded)
    monkeypatch.setattr(documents, "PASS_SECONDS", 1e-9)  # every pass "too slow"
    store, heard = FileStore(tmp_path / "store"), []
    with app.test_request_context():
        rendered = documents.render_missing(
            numbers, store, base_url="https://x", place="Điện Biên", chunk=3, progress=heard.append
        )
    assert rendered == 5 and sizes == [3, 1, 1]  # the first pass timed, then one at a time
    assert heard == [1] * 5  # a report for every PDF stored
    assert all(store.exists(number) for number in numbers)


def _pid(item):
    return os.getpid(), item


def test_items_run_here_until_the_worker_processes_are_warm(monkeypatch):
    """A cold pool takes seconds to start (WeasyPrint loads in each process): meanwhile the
    items are done in this process, so the first results and reports do not wait for it."""
    monkeypatch.setattr(pool, "warm_workers", lambda *args: [])
    monkeypatch.setattr(pool, "workers_ready", lambda workers: False)
    with pool.Pipeline(_pid, workers=2) as pipeline:
        results = [*pipeline.submit("a", [1, 2]), *pipeline.drain()]
    assert results == [("a", (os.getpid(), [1, 2]))]
    assert pipeline.item_seconds is not None  # timed: the next item's size can follow


class Quiet:
    """A job's progress that only counts."""

    done, total = 0, None

    def set_total(self, total, stage=None):
        self.total = total

    def __call__(self, count=1):
        self.done += count


def test_a_bulk_issue_job_warms_the_render_processes_first_when_it_needs_them(
    app, db, tree, levels, pass_modules, monkeypatch, tmp_path
):
    """Their seconds of start-up overlap the eligibility check and the insertion, instead of
    being a pause before the first PDF; a job within one pass starts none."""
    from trainer.certificates import request_helpers
    from trainer.jobs.kinds import KINDS
    from trainer.jobs.models import Job

    warmed = []
    monkeypatch.setattr(request_helpers, "warm_workers", lambda *args: warmed.append(args))
    monkeypatch.setattr(pool, "warm_workers", lambda *args: [])
    monkeypatch.setattr(pool, "workers_ready", lambda workers: False)  # passes laid out here
    monkeypatch.setitem(app.config, "CERTIFICATE_STORE", str(tmp_path))
    monkeypatch.setitem(app.config, "CERTIFICATE_RENDER_WORKERS", 2)
    monkeypatch.setitem(app.config, "CERTIFICATE_RENDER_CHUNK", 2)

    def issued(org):
        job = Job(kind="certificates.issue_bulk", params={"org": org, "level": "basic"})
        db.session.add(job)
        db.session.flush()
        with app.test_request_context():
            return KINDS["certificates.issue_bulk"].work(job, Quiet())["issued"]

    pass_modules(factories.make_staff(tree["DB-B-S1"], "Người 0"), *BASIC)
    assert issued("DB-B") == 1 and warmed == []  # one person: one pass, no process
    for i in range(1, 4):
        pass_modules(factories.make_staff(tree["DB-A-S1"], f"Người {i}"), *BASIC)
    assert issued("DB-A") == 3 and warmed == [(2, "trainer.certificates.pdf")]

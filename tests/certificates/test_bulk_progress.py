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

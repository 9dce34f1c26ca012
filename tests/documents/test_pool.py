"""The worker processes that lay out documents in bulk (trainer/documents/pool.py)."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

STARTS_WORKERS_THEN_SLEEPS = """
import os, time
from trainer.documents.pool import process_pool
pool = process_pool(2)
pids = {pool.submit(os.getpid).result() for _ in range(6)}
print(" ".join(map(str, pids)), flush=True)
time.sleep(120)
"""


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended, only not been reaped yet


def test_workers_end_when_the_process_that_started_them_is_killed():
    """A job worker killed mid-job (SIGKILL: no clean-up runs) leaves no rendering process
    behind, idle and holding its memory for ever."""
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTS_WORKERS_THEN_SLEEPS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        pids = [int(pid) for pid in starter.stdout.readline().split()]
        assert pids and all(alive(pid) for pid in pids) and os.getpid() not in pids
    finally:
        starter.kill()
        starter.wait()
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in pids)


def test_a_started_worker_warms_up_what_it_will_render(monkeypatch):
    """``start_workers`` has each process import the rendering module and call its
    ``warm_up``: the first pass finds the fonts and the certificate's stylesheet ready."""
    from trainer.certificates import pdf
    from trainer.documents import pool, render

    called, warm_up = [], pdf.warm_up
    monkeypatch.setattr(pdf, "warm_up", lambda: called.append(True) or warm_up())
    monkeypatch.setattr(render._local, "sheets", {}, raising=False)
    assert pool._import("trainer.certificates.pdf") == os.getpid()
    assert called == [True] and "certificate.css" in render._local.sheets


def test_a_worker_collects_the_garbage_of_each_item():
    """What a pass leaves in reference cycles (WeasyPrint's boxes) is freed before the next
    one, not kept until the collector's next full pass: the workers' peak memory."""
    import gc
    import weakref

    from trainer.documents.pool import _timed_in_worker

    class Box:
        pass

    left = []

    def render(item):
        box = Box()
        box.parent = box  # a cycle: only the collector frees it
        left.append(weakref.ref(box))
        return item * 2

    frozen = gc.isenabled()
    gc.disable()  # the collector would otherwise run at its own thresholds
    try:
        seconds, result = _timed_in_worker(render, 21)
    finally:
        if frozen:
            gc.enable()
    assert result == 42 and seconds >= 0
    assert left[0]() is None

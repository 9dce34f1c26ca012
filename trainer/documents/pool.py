"""Worker processes that lay out documents while the app prepares the next ones.

WeasyPrint is pure Python above Pango: one process uses one core. Bulk rendering (a district's
or a province's certificates) hands batches of pages to a pool of processes, made once per
process and reused by later jobs. The workers are *spawned* (not forked): the app's threads,
database connections and Pango state stay in the app. What they are handed is plain data and
a function importable without the app (e.g. ``certificates.pdf.write_certificate_pdfs``).
"""

import gc
import importlib
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

_lock = threading.Lock()
_pools = {}
_warming = {}  # workers → the futures of their warm-up (``warm_workers``)


def _exit_with_parent():
    """In a worker: end this process when the one that started it ends, also when it is
    killed (SIGKILL runs no clean-up): idle workers would otherwise wait forever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch():
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def process_pool(workers):
    """The pool of ``workers`` processes of this process, started on first use."""
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
            )
            _pools[workers] = pool
        return pool


def _forget(workers):
    with _lock:
        pool = _pools.pop(workers, None)
        _warming.pop(workers, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _import(name):
    module = importlib.import_module(name)
    if hasattr(module, "warm_up"):  # e.g. fonts and stylesheet: the first pass finds them ready
        module.warm_up()
    return os.getpid()


def warm_workers(workers, *modules):
    """Start the pool's ``workers`` processes, each importing ``modules`` (WeasyPrint takes
    seconds to load) and calling their ``warm_up()`` if they have one, without waiting for
    them (once per pool); the futures of the warm-up."""
    pool = process_pool(workers)
    with _lock:
        if workers not in _warming:
            _warming[workers] = [
                pool.submit(_import, name) for name in modules for _ in range(workers)
            ]
        return _warming[workers]


def workers_ready(workers):
    """Whether the pool of ``workers`` processes has finished warming up (``warm_workers``)."""
    with _lock:
        futures = _warming.get(workers)
    return futures is not None and all(future.done() for future in futures)


def start_workers(workers, *modules):
    """Start the pool's ``workers`` processes now and wait until they are warm: the next bulk
    rendering finds them ready."""
    for future in warm_workers(workers, *modules):
        future.result()


def _worker_pids():
    with _lock:
        return [pid for pool in _pools.values() for pid in getattr(pool, "_processes", {})]


def worker_cpu_seconds():
    """CPU seconds (user + system) the live worker processes used so far (Linux; benchmarks)."""
    total = 0.0
    for pid in _worker_pids():
        try:
            fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1]  # noqa: SIM115
        except OSError:
            continue
        utime, stime = fields.split()[11:13]
        total += (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")
    return total


def worker_peak_memory():
    """{pid: peak resident memory in kB} of the live worker processes (Linux; for benchmarks)."""
    peaks = {}
    for pid in _worker_pids():
        try:
            status = open(f"/proc/{pid}/status", encoding="ascii").read()  # noqa: SIM115
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1])
    return peaks


def shutdown():
    """Stop every pool (the workers exit; the next use starts new ones)."""
    for workers in list(_pools):
        _forget(workers)


def _timed(fn, item):
    """``(seconds, fn(item))``: how long the work took where it ran (in a worker, the wait in
    the queue is not counted; the machine's load is)."""
    started = time.perf_counter()
    result = fn(item)
    return time.perf_counter() - started, result


def _timed_in_worker(fn, item):
    """``_timed`` in a worker process, then the item's garbage collected (the young
    generations): a pass of certificates leaves hundreds of thousands of boxes in reference
    cycles, which the collector, held back while WeasyPrint works (``fewer_collections``),
    otherwise kept until well into the next pass. Measured on passes of 20: peak memory 187
    → 158 MB a process, for 2.5 ms of a pass's ≈ 450 ms."""
    timed = _timed(fn, item)
    gc.collect(1)
    return timed


class Pipeline:
    """Run ``fn(item)`` for items as they are handed over, at most ``ahead`` at once, and give
    back each ``(tag, result)`` as soon as it is ready (in the order they finish).

    With ``workers`` below 2 everything runs in this process, in order. With a pool, its
    processes are warmed up (importing ``fn``'s module) without waiting: until they are
    ready, items run in this process, so the first results do not wait for seconds of start-up.
    ``item_seconds`` is the time one unit of an item (``len(item)`` units, or 1) took in the
    slowest of the latest ``RECENT`` items (the load changes: the next may be as slow), for
    callers that size their items by time."""

    RECENT = 4

    def __init__(self, fn, *, workers=2, ahead=None):
        self.fn, self.workers = fn, workers
        self.ahead = ahead or 2 * max(workers, 1)
        self.pending = deque()
        self.pool = process_pool(workers) if workers >= 2 else None
        self._recent = deque(maxlen=self.RECENT)
        if self.pool is not None:
            warm_workers(workers, fn.__module__)

    @staticmethod
    def _units(item):
        return max(len(item) if hasattr(item, "__len__") else 1, 1)

    @property
    def item_seconds(self):
        return max(self._recent, default=None)

    def submit(self, tag, item):
        """Hand ``item`` over; yields the ``(tag, result)`` pairs that finished meanwhile
        (waiting for one when ``ahead`` are already under way)."""
        if self.pool is None or not workers_ready(self.workers):
            seconds, result = _timed(self.fn, item)
            self._recent.append(seconds / self._units(item))
            yield tag, result
            yield from self._finished(block=False)
            return
        try:
            future = self.pool.submit(_timed_in_worker, self.fn, item)
            self.pending.append((tag, self._units(item), future))
        except BrokenProcessPool:
            _forget(self.workers)
            raise
        while len(self.pending) >= self.ahead:
            yield from self._finished(block=True)
        yield from self._finished(block=False)

    def drain(self):
        """Wait for everything still under way, yielding ``(tag, result)`` pairs."""
        while self.pending:
            yield from self._finished(block=True)

    def cancel(self):
        """Drop what has not started (after an error or a cancelled job)."""
        for _tag, _units, future in self.pending:
            future.cancel()
        self.pending.clear()

    def _finished(self, block):
        if not self.pending:
            return
        if block:
            wait([future for _tag, _units, future in self.pending], return_when=FIRST_COMPLETED)
        still = deque()
        ready = []
        for entry in self.pending:
            (ready if entry[2].done() else still).append(entry)
        self.pending = still
        for tag, units, future in ready:
            try:
                seconds, result = future.result()
            except BrokenProcessPool:
                _forget(self.workers)  # a worker died (killed, out of memory): a new pool next
                raise
            self._recent.append(seconds / units)
            yield tag, result

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cancel()
        return False

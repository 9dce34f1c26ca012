"""Several gunicorn workers on PostgreSQL with the limiter on Redis, under a bounded load.

    python bench/load.py [--clients 50] [--seconds 60] [--workers 4]

Creates the database `trainer_load`, seeds the small demo, starts gunicorn on a free loopback
port, and runs teachers reading their home page, trainers marking attendance and enrolling,
heads opening the dashboard, all at once. Prints throughput, latency percentiles, the number
of 5xx answers, and checks that no write was lost or duplicated. Only 127.0.0.1 is contacted.
"""

import argparse
import base64
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# a Redis database of its own, emptied at the start: counters from an earlier run do not count
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "trainer-demo-2026"
# the province's signing key for this run only (a fresh Ed25519 seed, as `trainer keys generate`)
SIGNING_KEY = base64.b64encode(os.urandom(32)).decode()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(name="trainer_load"):
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test",
        "SIGNING_KEY": SIGNING_KEY,
        "TRAINER_ENV": "production",
    }
    trainer = [str(ROOT / ".venv" / "bin" / "trainer")]
    subprocess.run([*trainer, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*trainer, "seed-demo"], env=env, check=True, capture_output=True)
    return url


def start_server(url, workers):
    port = free_port()
    # every client signs in from 127.0.0.1: a sign-in limit above the number of clients
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test",
        "SIGNING_KEY": SIGNING_KEY,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "LOGIN_RATE_LIMIT": "500 per minute",
        "VERIFY_RATE_LIMIT": "60 per minute",
    }
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "trainer:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)
            return process, base
        except OSError:  # not listening yet, or still booting
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


class Client:
    """A browser-like client with cookies, that records every answer."""

    def __init__(self, base, results):
        self.base, self.results = base, results
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, ""
        self.results.append((time.perf_counter() - started, status))
        return status, text

    def sign_in(self, identifier, password=PASSWORD):
        _status, page = self.request("/login")
        status, _text = self.request(
            "/login", {"identifier": identifier, "password": password, "csrf_token": csrf_of(page)}
        )
        return status


def csrf_of(text):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text) or re.search(
        r'name="csrf_token" value="([^"]+)"', text
    )
    return match.group(1) if match else ""


def run(base, url, clients, seconds):
    """Drive the load; return (results, problems)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        teacher_code = conn.execute(
            text(
                "SELECT s.staff_code FROM users u JOIN staff s ON s.id = u.staff_id "
                "WHERE u.role = 'teacher'"
            )
        ).scalar()
        session_id, capacity = conn.execute(
            text(
                "SELECT id, capacity FROM training_sessions WHERE status = 'scheduled' "
                "ORDER BY starts_at DESC LIMIT 1"
            )
        ).one()
        free = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT staff_code FROM staff WHERE status = 'active' AND id NOT IN "
                    "(SELECT staff_id FROM enrollments WHERE session_id = :s) ORDER BY id LIMIT 200"
                ),
                {"s": session_id},
            )
        ]
    results, stop, enrolled_ok, problems = [], time.monotonic() + seconds, [], []
    lock = threading.Lock()

    def signed_in(client, identifier):
        if client.sign_in(identifier) != 200:  # 200: the redirect to /home was followed
            with lock:
                problems.append(f"sign-in of {identifier} failed")

    def teacher():
        client = Client(base, results)
        signed_in(client, teacher_code)
        while time.monotonic() < stop:
            client.request("/home")

    def head():
        client = Client(base, results)
        signed_in(client, "manager@demo.trainer.vn")
        while time.monotonic() < stop:
            client.request("/coverage")

    def trainer(index):
        client = Client(base, results)
        signed_in(client, "trainer@demo.trainer.vn")
        mine = free[index :: max(1, clients // 3)]
        for code in mine:
            if time.monotonic() >= stop:
                break
            _status, page = client.request(f"/sessions/{session_id}")
            status, _ = client.request(
                f"/sessions/{session_id}/enroll", {"csrf_token": csrf_of(page), "staff_code": code}
            )
            if status in (200, 302):
                with lock:
                    enrolled_ok.append(code)

    threads = []
    for i in range(clients):
        kind = i % 3
        target = teacher if kind == 0 else head if kind == 1 else (lambda i=i: trainer(i // 3))
        threads.append(threading.Thread(target=target))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        count, stored = conn.execute(
            text(
                "SELECT count(*), (SELECT enrolled_count FROM training_sessions WHERE id = :s) "
                "FROM enrollments WHERE session_id = :s"
            ),
            {"s": session_id},
        ).one()
        duplicates = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT staff_id FROM enrollments WHERE session_id = :s "
                "GROUP BY staff_id HAVING count(*) > 1) d"
            ),
            {"s": session_id},
        ).scalar()
    if count != stored or count > capacity or duplicates:
        problems.append(
            f"enrolments: {count} rows, counter {stored}, capacity {capacity}, "
            f"duplicates {duplicates}"
        )
    engine.dispose()
    return results, problems


def shared_limit(base):
    """70 verifications from one address spread over the workers: with the counters in Redis
    exactly 60 pass (with per-process memory each worker would allow 60)."""
    statuses = [Client(base, []).request("/verify/no-such-code-123")[0] for _ in range(70)]
    return statuses.count(404), statuses.count(429)


def summary(results, seconds):
    times = sorted(t for t, _s in results)
    errors = sum(1 for _t, s in results if s >= 500)

    def pct(p):
        return times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000

    return {
        "requests": len(results),
        "per_second": len(results) / seconds,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": statistics.mean(times) * 1000 if times else 0,
        "errors_5xx": errors,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    url = prepare_database()
    process, base = start_server(url, args.workers)
    try:
        results, problems = run(base, url, args.clients, args.seconds)
        limits = shared_limit(base)
    finally:
        process.terminate()
        process.wait(timeout=10)
    figures = summary(results, args.seconds)
    print(
        f"{args.workers} gunicorn workers, {args.clients} clients, {args.seconds:.0f} s: "
        f"{figures['requests']} requests, {figures['per_second']:.1f}/s, "
        f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
        f"p99 {figures['p99_ms']:.0f} ms, 5xx: {figures['errors_5xx']}"
    )
    print(f"verification limit across workers: {limits[0]} answered, {limits[1]} refused (429)")
    if limits != (60, 10):
        problems.append(f"rate limit not shared across workers: {limits}")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems or figures["errors_5xx"] else 0


if __name__ == "__main__":
    sys.exit(main())

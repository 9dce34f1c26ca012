"""Several gunicorn workers on PostgreSQL with the rate limiter on Redis, under a short load:
no 5xx, no lost or duplicated enrolment, and the limiter counts across the workers."""

import pytest

from ..databases import in_ci

# gunicorn workers read what the test wrote: real commits
pytestmark = pytest.mark.committed


def redis_answers():
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=2).ping()
    except Exception:  # any failure: not reachable
        return False
    return True


def test_gunicorn_workers_share_state_under_load(backend):
    if backend[0] != "postgresql":
        pytest.skip("the scale-out deployment is PostgreSQL (runs in the postgresql pass)")
    if not redis_answers():
        if in_ci():
            pytest.fail("CI: Redis is not answering on 127.0.0.1:6379")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    from bench import load

    assert load.main(["--clients", "9", "--seconds", "6", "--workers", "3"]) == 0

"""Losing counts under concurrency: the ``database://`` storage of rate limits (the default)
on SQLite and PostgreSQL. Many threads, each with its own connection, hit one counter at the
same instant: the count is exact and each hit learns a distinct count, so a limit of N lets
exactly N through. Giving back never goes below zero or into the next window.

(Through real gunicorn workers: test_limits_across_workers.py.)
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from limits import parse
from limits.strategies import FixedWindowRateLimiter

from assessment.services.rate_limits import DatabaseStorage

THREADS = 8
HITS_EACH = 5


def test_concurrent_hits_are_counted_exactly(app):
    storage = DatabaseStorage()
    limit = parse("10 per 15 minutes")
    key = ("guess", "password-account", "victim")
    barrier = threading.Barrier(THREADS)

    def hit_many(_n: int) -> list[bool]:
        with app.app_context():
            strategy = FixedWindowRateLimiter(storage)
            barrier.wait(timeout=30)
            return [strategy.hit(limit, *key) for _ in range(HITS_EACH)]

    with ThreadPoolExecutor(THREADS) as pool:
        allowed = [a for hits in pool.map(hit_many, range(THREADS)) for a in hits]
    assert allowed.count(True) == 10
    with app.app_context():
        assert storage.get(limit.key_for(*key)) == THREADS * HITS_EACH


def test_each_increment_returns_its_own_count(app):
    storage = DatabaseStorage()
    barrier = threading.Barrier(THREADS)

    def incr(_n: int) -> int:
        with app.app_context():
            barrier.wait(timeout=30)
            return storage.incr("LIMITER/race", 600)

    with ThreadPoolExecutor(THREADS) as pool:
        counts = sorted(pool.map(incr, range(THREADS)))
    assert counts == list(range(1, THREADS + 1))


def test_giving_back_stops_at_zero_and_at_the_window(app):
    storage = DatabaseStorage()
    with app.app_context():
        assert storage.incr("LIMITER/back", 600, amount=-1) == 0  # nothing to give back
        assert storage.get("LIMITER/back") == 0
        storage.incr("LIMITER/back", 600)
        assert storage.incr("LIMITER/back", 600, amount=-1) == 0
        assert storage.incr("LIMITER/back", 600, amount=-1) == 0
        assert storage.get("LIMITER/back") == 0
        assert storage.incr("LIMITER/back", 600) == 1


def test_an_expired_window_starts_again_and_is_cleared(app):
    storage = DatabaseStorage()
    with app.app_context():
        assert storage.incr("LIMITER/old", 0) == 1  # a window of no length: over at once
        assert storage.get("LIMITER/old") == 0
        assert storage.incr("LIMITER/old", 0, amount=-1) == 0  # not given back into the next
        assert storage.incr("LIMITER/old", 600) == 1
        assert storage.get("LIMITER/old") == 1
        assert storage.get_expiry("LIMITER/old") > storage.get_expiry("LIMITER/none") - 1
        storage.clear("LIMITER/old")
        assert storage.get("LIMITER/old") == 0
        storage.incr("LIMITER/a", 600)
        storage.incr("LIMITER/b", 600)
        assert storage.reset() == 2
        assert storage.check()


def test_keys_longer_than_the_column_are_kept_apart(app):
    storage = DatabaseStorage()
    long_a, long_b = "LIMITER/" + "a" * 300, "LIMITER/" + "a" * 299 + "b"
    with app.app_context():
        assert storage.incr(long_a, 600) == 1
        assert storage.incr(long_b, 600) == 1
        assert storage.incr(long_a, 600) == 2

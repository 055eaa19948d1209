"""A small bounded map, least recently used out first: what a worker keeps between requests
(results, parsed question sets, drawn HTML, sector profiles).

Each use keys its entries by everything its value was made from (an assessment's revision, a
version's content hash, a translation's hash), so an entry is never stale, only unused, and
nothing is invalidated. Per process (each worker keeps its own); the lock is for threaded
servers (a sync worker has one thread).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Any


class LRUCache:
    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Hashable) -> Any:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

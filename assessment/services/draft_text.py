"""The editor's reading and writing of a version's text, about ten times faster than the file
reader.

``questionset.yaml_io`` reads files from anywhere with PyYAML's pure-Python parser, so that it
can refuse aliases, duplicate keys and deep nesting and give every value its line; on the
shipped baseline set that costs about 0.7 s a read and 0.45 s a write, and the editor read a
draft twice and wrote it once per saved question. A stored version's text never comes from
outside unchecked: it is either a file that ``load_yaml`` accepted (an import, a published
version) or what this module wrote from checked data. So the editor reads it with libyaml's C
parser under the format's own scalar rules (only ``true``/``false`` are booleans, so a choice
called ``no`` stays the string "no") and writes it with libyaml's C emitter with the same
representers; the editor never needs line numbers (it places problems by path). A test keeps
both equal to ``load_yaml``/``dump_yaml`` on the shipped sets and on generated ones. Without
libyaml the strict reader and writer are used as before.

Each process also keeps the last few texts it read or wrote, by their hash, as JSON (which
reads in a few milliseconds): the page shown after a saved edit, and the next edit, then read
nothing again. The key is the text itself (its hash), so a cached reading is never stale.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from threading import Lock
from typing import Any

import yaml

from assessment.questionset import yaml_io

FAST = bool(getattr(yaml, "__with_libyaml__", False))


def _plain(node: Any) -> Any:
    """LineDict/LineList trees as plain dicts and lists (for editing and dumping)."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


if FAST:

    class _Loader(yaml.CSafeLoader):
        """libyaml's parser; scalars resolved as the strict reader resolves them."""

    _Loader.yaml_implicit_resolvers = yaml_io._StrictSafeLoader.yaml_implicit_resolvers

    class _Dumper(yaml.CSafeDumper):
        """libyaml's emitter; text written as the strict writer writes it."""

    _Dumper.add_representer(str, yaml_io._represent_str)


def read(text: str) -> Any:
    """A stored version's text as plain data (dicts, lists, scalars)."""
    if not FAST:
        return _plain(yaml_io.load_yaml(text))
    return yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506 - a SafeLoader


def write(data: Any) -> str:
    """Plain data as the text ``yaml_io.dump_yaml`` writes (and ``load_yaml`` reads back)."""
    if not FAST:
        return yaml_io.dump_yaml(data)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Readings:
    """Texts' data as JSON, by the text's hash; small and per process."""

    def __init__(self, size: int = 8):
        self.size = size
        self.entries: OrderedDict[bytes, str] = OrderedDict()
        self.lock = Lock()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()

    def get(self, text: str) -> Any | None:
        with self.lock:
            found = self.entries.get(self.key(text))
        return None if found is None else json.loads(found)

    def put(self, text: str, data: Any) -> None:
        try:
            encoded = json.dumps(data, ensure_ascii=False)
        except (TypeError, ValueError):
            return  # a value JSON cannot hold (a date): read from the text each time
        if json.loads(encoded) != data:
            return  # JSON would change it (a number as a key): read from the text each time
        with self.lock:
            self.entries[self.key(text)] = encoded
            self.entries.move_to_end(self.key(text))
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


READINGS = _Readings()


def read_cached(text: str) -> Any:
    """``read(text)``, from this process's recent readings when it has the same text; a new
    object each call (callers edit it in place)."""
    found = READINGS.get(text)
    if found is None:
        found = read(text)
        READINGS.put(text, found)  # kept as JSON: the object returned is the caller's alone
    return found


def write_cached(data: Any) -> str:
    """``write(data)``, remembering the text's data for the next ``read_cached``."""
    text = write(data)
    READINGS.put(text, data)
    return text

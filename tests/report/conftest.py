"""Helpers for reading PDFs back and for a canary HTTP server that counts requests."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pdf_reader(pdf).pages]


class Canary:
    def __init__(self):
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                canary.hits.append(self.path)
                self.send_response(302 if self.path == "/redirect" else 200)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def canary() -> Iterator[Canary]:
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    server = Canary()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()

"""HTML to PDF with WeasyPrint: tagged (PDF/UA-1), titled, with the result JSON attached.

``render_pdf_bounded`` renders in a forked child with a memory limit and a deadline, so a
runaway document (huge text, pathological layout) is stopped with a clear error while the web
worker survives. WeasyPrint is imported with this module (about half a second, once per
process, when the app or a worker starts), so that no request pays for it.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from dataclasses import dataclass

from weasyprint import HTML
from weasyprint import Attachment as WeasyAttachment

from .fetcher import AssetFetcher
from .plain_text import one_line

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 1536 * 1024 * 1024


class RenderError(RuntimeError):
    """The report could not be made; the message can be shown to the person who asked."""


@dataclass(frozen=True)
class Attachment:
    """A file the app generates (never a user-supplied path or URL) to embed in the PDF."""

    name: str
    content: bytes
    description: str


def render_pdf(html: str, *, attachments: tuple[Attachment, ...] = ()) -> bytes:
    """Render in this process. ``base_url=None``: relative URLs resolve to nothing."""
    fetcher = AssetFetcher()
    files = [
        WeasyAttachment(
            string=a.content, name=a.name, description=a.description, url_fetcher=fetcher
        )
        for a in attachments
    ]
    options = {"pdf_variant": "pdf/ua-1", "attachments": files}
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(**options)
    clean_metadata(document)
    return document.write_pdf(**options)


def clean_metadata(document) -> None:
    """What a viewer shows outside the page (title bar, document properties, bookmarks) as
    one line each, without the bidirectional controls that could make an organisation's name
    show as something else there (``plain_text``). The pages themselves are unchanged."""
    metadata = document.metadata
    metadata.title = one_line(metadata.title) or None
    metadata.authors = [one_line(a) for a in metadata.authors]
    metadata.description = one_line(metadata.description) or None
    metadata.keywords = [one_line(k) for k in metadata.keywords]
    metadata.custom = {key: one_line(value) for key, value in metadata.custom.items()}
    for page in document.pages:
        page.bookmarks = [(level, one_line(label), *rest) for level, label, *rest in page.bookmarks]


# A render yields the processor to whatever serves pages on the same machine: it is a batch
# job that may take a few seconds more, a page is a person waiting.
RENDER_NICENESS = 10


def _child(connection, html: str, attachments: tuple[Attachment, ...], memory: int) -> None:
    try:
        os.nice(RENDER_NICENESS)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        connection.send(("ok", render_pdf(html, attachments=attachments)))
    except MemoryError:
        connection.send(("error", "the report needs more memory than allowed"))
    except RecursionError:
        connection.send(("error", "the report is nested too deeply to lay out"))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
        connection.send(("error", f"{type(exc).__name__}: {exc}"[:500]))
    finally:
        connection.close()


# Children are forked by a fork server, a process started clean (exec'd, one thread) that has
# imported this module: forking the app itself, which has other threads (report workers,
# request threads), copies into the child any lock one of them holds at that instant (a
# fontconfig mutex during another render, say), and the child then waits for it for ever.
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload([__name__])


def render_pdf_bounded(
    html: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
) -> bytes:
    """Render in a forked child; raise RenderError when it fails, runs out of memory or time."""
    receiver, sender = _FORKS.Pipe(duplex=False)
    child = _FORKS.Process(target=_child, args=(sender, html, attachments, memory), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RenderError(f"the report took longer than {timeout:g} seconds and was stopped")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise RenderError("the report renderer stopped unexpectedly (out of memory?)") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status != "ok":
        raise RenderError(payload)
    return payload

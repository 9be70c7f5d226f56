"""The CMIF feed at ``/cmif.xml``: the archive's letters as one CMIF file that correspSearch harvests.

``/cmif.xml`` gives every letter; ``/cmif.xml?q=QUERY`` the letters a query of the archive finds
(``from:"J. Stalin" year:1945``). The file is written (``letterbook.export.cmif``, a letter at a
time) to a file on disk, then streamed from it: CMIF names the editions in its header before the
letters, so the writer must see every letter before the first byte can go, and a file on disk
keeps memory flat however many letters the archive holds.

The ETag follows the archive's change sequence: a harvester that asks again with
``If-None-Match`` gets a 304 while nothing has changed. The last file written is kept (in the
temporary folder) until the archive changes, and requests that come while it is being written
wait for it rather than write it again: a feed of a million letters takes minutes to write.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from ..archive import Archive
from ..errors import LetterbookError
from ..export import ExportOptions
from ..export.cmif import write_cmif
from ..search import parse_query

if TYPE_CHECKING:
    from .oai import OAIConfig

__all__ = ["cmif_route"]

_CHUNK = 1 << 16


def _chunks(feed: IO[bytes]) -> Iterator[bytes]:
    """Give the file's bytes a chunk at a time, and close it at the end (or when the client leaves)."""
    try:
        while chunk := feed.read(_CHUNK):
            yield chunk
    finally:
        feed.close()


def _write(archive: Archive, query: str | None, options: ExportOptions, out: IO[bytes]) -> None:
    """Write the CMIF of the letters a query finds (every letter without one) to ``out``."""
    # Without a query the letters come in the order they were stored, each page after the last
    # (by date they would be paged by OFFSET, which rescans more as the archive grows).
    letters = archive.letters(query, sort="date") if query else archive.letters(None, sort="id")
    write_cmif(letters, out, options)


class _KeptFeed:
    """The last feed written, as a file kept until a feed with another ETag is asked for."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.etag: str | None = None
        self.path: Path | None = None

    def open(self, etag: str, url: str, query: str | None, options: ExportOptions) -> IO[bytes]:
        """Give the feed with this ETag, open for reading; write it (through a connection of its
        own: this runs in a worker thread) when it is not the one kept."""
        with self.lock:
            if self.etag != etag or self.path is None or not self.path.exists():
                handle, name = tempfile.mkstemp(prefix="letterbook-cmif-", suffix=".xml")
                try:
                    with os.fdopen(handle, "wb") as out, Archive.open(url, read_only=True) as archive:
                        _write(archive, query, options, out)
                except BaseException:
                    os.unlink(name)
                    raise
                old, self.path, self.etag = self.path, Path(name), etag
                if old is None:
                    atexit.register(self._remove)
                else:
                    old.unlink(missing_ok=True)  # a request still reading it keeps its open file
            return self.path.open("rb")

    def _remove(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def cmif_route(config: OAIConfig) -> Route:
    """Give the route of the CMIF feed, ``/cmif.xml`` (optionally ``?q=QUERY``), over the archive
    at ``request.app.state.archive``."""
    kept = _KeptFeed()

    async def cmif(request: Request) -> Response:
        archive: Archive = request.app.state.archive
        query = request.query_params.get("q", "").strip() or None
        if query is not None:
            try:
                parse_query(query)
            except LetterbookError as exc:
                return PlainTextResponse(f"the query cannot be read: {exc}\n", status_code=400)
        base_url = (config.base_url or str(request.base_url)).rstrip("/")
        # The file names where it is published and the letters' permalinks: the ETag covers them.
        digest = hashlib.sha256(f"{query or ''}\0{request.url}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
        etag = f'"cmif-{archive.store.sequence()}-{digest}"'
        if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers={"ETag": etag})
        title = config.repository_name + (f": letters found by {query}" if query else ": letters")
        options = ExportOptions(base_url=base_url, title=title, editor=config.repository_name,
                                file_url=str(request.url))
        url = archive.store.url
        feed: IO[bytes]
        if url == ":memory:":  # no second connection can see it: write on the event loop
            feed = tempfile.TemporaryFile()
            _write(archive, query, options, feed)
            feed.seek(0)
        else:
            feed = await run_in_threadpool(kept.open, etag, url, query, options)
        return StreamingResponse(_chunks(feed), media_type="application/xml; charset=utf-8", headers={"ETag": etag})

    return Route("/cmif.xml", cmif, methods=["GET", "HEAD"], name="cmif")

"""The ``serve`` command: the reading room and its JSON API over HTTP (``letterbook.web``)."""

from __future__ import annotations

import os

import click

from .archive import Archive
from .errors import LetterbookError

#: The app each worker process of ``serve --workers N`` makes (``module:factory``).
APP_FACTORY = "letterbook.web.app:app_from_environ"
_DB_HELP = "The archive: a path or sqlite:///PATH (default: letterbook.db here, or $LETTERBOOK_DB)."


def default_workers() -> int:
    """Give the number of worker processes ``serve`` starts unless told: one per CPU core this
    process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


@click.command()
@click.option("--db", "db", envvar="LETTERBOOK_DB", default=None, metavar="URL", help=_DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Worker processes answering requests, each with the archive open read-only "
                   "(default: one per CPU core, at most 8; always 1 for :memory:).")
def serve(db: str | None, host: str, port: int, workers: int | None) -> None:
    """Serve the reading room and its JSON API (read-only) at http://HOST:PORT.

    Every page is HTML at its path and JSON at the same path with .json; the API is described at
    /api/openapi.json.

    \b
    Examples:
        letterbook serve
        letterbook serve --db letters.db --port 8080 --workers 4
    """
    import uvicorn

    from .web import create_app

    location = db or os.environ.get("LETTERBOOK_DB") or "letterbook.db"
    if "://" not in location and location != ":memory:" and not os.path.exists(location):
        raise click.ClickException(f"there is no archive at {location}: make one with `letterbook ingest PATH...`")
    try:
        archive = Archive.open(db, read_only=True)
    except LetterbookError as exc:
        raise click.ClickException(str(exc)) from None
    # An archive in memory lives in this process only; any other is opened by each worker.
    workers = 1 if location == ":memory:" else workers or default_workers()
    try:
        letters = archive.stats()["letters"]
    finally:
        if workers > 1:
            archive.close()
    processes = f"{workers} worker processes; " if workers > 1 else ""
    click.echo(f"letterbook: serving {location} ({letters:,} letter{'' if letters == 1 else 's'}) "
               f"at http://{host}:{port}/ ({processes}Ctrl-C to stop)", err=True)
    if workers == 1:
        try:
            uvicorn.run(create_app(archive), host=host, port=port, log_level="warning", access_log=False)
        finally:
            archive.close()
        return
    os.environ["LETTERBOOK_DB"] = location
    serve_in_workers(workers, host, port)


def serve_in_workers(workers: int, host: str, port: int) -> None:
    """Serve the archive named by ``$LETTERBOOK_DB`` from ``workers`` processes that share one
    listening socket, until Ctrl-C.

    Each worker is a process of its own, so that requests are answered on every core rather than
    one at a time under one interpreter lock; it makes the app with ``app_from_environ``, which
    opens the archive read-only.
    """
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(APP_FACTORY, factory=True, workers=workers, host=host, port=port,
                            log_level="warning", access_log=False)
    bound = config.bind_socket()
    # uvicorn makes the listening socket with protocol 0, and asyncio turns Nagle's algorithm off
    # (TCP_NODELAY) only for connections whose socket says IPPROTO_TCP: every answer on a kept-alive
    # connection would wait about 40 ms for the client's delayed ACK (uvicorn issue #3149).
    listening = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    listening.set_inheritable(True)
    Multiprocess(config, sockets=[listening]).run()

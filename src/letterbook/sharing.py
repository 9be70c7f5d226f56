"""Work shared, chunk by chunk, between this process and processes forked to help it.

    >>> results = share(len(chunks), work, helpers=1)   # [work(0), work(1), ...], in order

Each process claims the next chunk nobody has claimed yet, so a helper slowed down by other work
on the machine takes fewer; a helper's results come back pickled over a pipe, drained by a thread
while this process works. The helpers are forked: they start with everything this process holds
(a name table, the letters' headings) without its being copied, and ``start`` runs in each
first (to open its own connection to a store: a forked process must not use its parent's). A chunk
a helper claimed but did not give back, because it failed or was killed, is worked here, so the
result is the same as ``[work(c) for c in range(chunks)]`` whatever happens to the helpers.

``work`` must give the same result for a chunk in any process and in any order: what it finds in
one chunk may not depend on the chunks worked before it in the same process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["can_fork", "helpers_for", "share"]

T = TypeVar("T")


def can_fork() -> bool:
    """Tell whether this process may fork helpers: where fork exists, and not from a daemonic
    process (which multiprocessing forbids to have children)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def helpers_for(workers: int) -> int:
    """Give how many helpers to fork for ``workers`` processes in all (0: one per processor)."""
    wanted = workers if workers > 0 else (os.cpu_count() or 1)
    return max(0, wanted - 1) if can_fork() else 0


def share(chunks: int, work: Callable[[int], T], *, helpers: int, start: Callable[[], None] | None = None) -> list[T]:
    """Give ``work(c)`` for every chunk ``c`` in order, the chunks worked here and by up to
    ``helpers`` forked processes."""
    helpers = min(helpers, chunks - 1)
    if helpers < 1 or not can_fork():
        return [work(c) for c in range(chunks)]
    context = multiprocessing.get_context("fork")
    claimed = context.Value("i", 0)

    def claim() -> int | None:
        with claimed.get_lock():
            chunk = claimed.value
            if chunk >= chunks:
                return None
            claimed.value = chunk + 1
            return chunk

    running: list[tuple[Any, _Drain]] = []
    results: dict[int, T] = {}
    try:
        for _ in range(helpers):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_help, args=(work, claim, sending, start), name="letterbook-helper",
                                      daemon=True)
            process.start()
            sending.close()
            drain = _Drain(receiving)
            drain.start()
            running.append((process, drain))
        while (chunk := claim()) is not None:
            results[chunk] = work(chunk)
        for process, drain in running:
            drain.join()
            process.join()
            for message in drain.messages:
                chunk, value = pickle.loads(message)
                results[chunk] = value
    finally:
        for process, drain in running:
            if process.is_alive():  # this process failed or was interrupted: the helpers' work is not wanted
                process.terminate()
                process.join()
            drain.join()
    for chunk in range(chunks):
        if chunk not in results:  # claimed by a helper that did not give it back
            results[chunk] = work(chunk)
    return [results[chunk] for chunk in range(chunks)]


class _Drain(threading.Thread):
    """Reads a helper's results as they come, so that its pipe never fills while this process works."""

    def __init__(self, receiving: Any) -> None:
        super().__init__(name="letterbook-drain", daemon=True)
        self.receiving = receiving
        self.messages: list[bytes] = []

    def run(self) -> None:
        try:
            while True:
                self.messages.append(self.receiving.recv_bytes())
        except (EOFError, OSError):
            pass  # the helper is done, or gone: what it sent whole is kept
        finally:
            self.receiving.close()


def _help(work: Callable[[int], Any], claim: Callable[[], int | None], sending: Any,
          start: Callable[[], None] | None) -> None:
    # Ctrl-C reaches every process of the group; the main process alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if start is not None:
            start()
        while (chunk := claim()) is not None:
            sending.send_bytes(pickle.dumps((chunk, work(chunk)), protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - the main process works the chunk again, and raises what it raises
        pass
    finally:
        sending.close()

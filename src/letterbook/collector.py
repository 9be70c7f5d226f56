"""Python's cyclic garbage collector during bulk work: an ingest and an enrichment make millions of
small objects that hold almost no cycles, and the collector's passes over the growing heap would
cost more than some of the work itself."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FEWER_COLLECTIONS", "fewer_collections", "no_collections"]

#: Thresholds of the collector while ingesting: Python's defaults (700, 10, 10) would collect
#: thousands of times over the growing heap, for a fifth of the run's time. Cycles are still collected.
FEWER_COLLECTIONS = (50_000, 20, 20)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with the collector's thresholds raised (see ``FEWER_COLLECTIONS``)."""
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def no_collections() -> Iterator[None]:
    """Run the body with the collector off (and on again after, if it was on): for work whose
    objects live as long as it does and hold no cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

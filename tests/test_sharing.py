"""Work shared chunk by chunk with forked helper processes (``letterbook.sharing``): every chunk's
result once and in order, whoever worked it, and nothing lost when a helper fails."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from letterbook.sharing import can_fork, helpers_for, share

pytestmark = pytest.mark.skipif(not can_fork(), reason="this system cannot fork helper processes")


def _slow_square(chunk: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough that the helpers claim some chunks before this process is through
    return chunk * chunk, os.getpid()


@pytest.mark.parametrize("helpers", [0, 1, 2])
def test_every_chunk_once_and_in_order(helpers: int) -> None:
    results = share(60, _slow_square, helpers=helpers)
    assert [square for square, _ in results] == [c * c for c in range(60)]
    workers = {pid for _, pid in results}
    assert os.getpid() in workers
    assert len(workers) == helpers + 1  # each helper worked some of them
    assert multiprocessing.active_children() == []


def test_a_helper_that_fails_loses_nothing() -> None:
    here = os.getpid()

    def work(chunk: int) -> tuple[int, int]:
        if os.getpid() != here and chunk % 3 == 0:
            raise RuntimeError("a helper's failure")
        return _slow_square(chunk)

    results = share(30, work, helpers=1)
    assert [square for square, _ in results] == [c * c for c in range(30)]
    # The helper stopped at its first failure: that chunk and the rest were worked here.
    assert all(pid == here for chunk, (_, pid) in enumerate(results) if chunk % 3 == 0)


def test_a_failure_here_stops_the_helpers() -> None:
    here = os.getpid()

    def work(chunk: int) -> int:
        time.sleep(0.01)
        if os.getpid() == here and chunk >= 5:
            raise ValueError("this process's failure")
        return chunk

    with pytest.raises(ValueError, match="this process's failure"):
        share(200, work, helpers=1)
    assert multiprocessing.active_children() == []


def test_one_chunk_or_no_helpers_is_worked_here() -> None:
    assert share(1, _slow_square, helpers=3) == [(0, os.getpid())]
    assert share(0, _slow_square, helpers=3) == []
    assert helpers_for(1) == 0
    assert helpers_for(3) == 2

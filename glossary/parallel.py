"""Map a function over a stream of items in worker processes: in order, in bounded memory.

Harvest and apply both do the same per-note work for thousands of notes; this spreads it
over the cores while the caller consumes results one by one. At most a few chunks per
worker are in flight, so memory does not grow with the number of items however slowly the
caller goes, and workers die with the process that started them (even by SIGKILL).
Workers ignore Ctrl-C and SIGTERM (no traceback from each of them): the caller stops the
work through `stop`, and a caller that stops by an exception waits for the chunks in
flight as it leaves.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any, TypeVar

from .interrupt import ignore_interrupts, signals_held

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 64  # items; below this, worker processes cost more than they save
CHUNK = 32  # items per task: big enough to amortize the round trip, small enough to stream
WINDOW = 4  # tasks in flight per worker
_RARE_COLLECTIONS = (50_000, 50, 100)  # gc thresholds while parsing (see fewer_collections)


def ordered_map(
    func: Callable[[T], R],
    items: Iterable[T],
    jobs: int | None = None,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
    batched: bool = False,
    stop: Callable[[], bool] | None = None,
) -> Iterator[R]:
    """func(item) for every item, in order; in `jobs` worker processes (default: one per
    core) when there are enough items. `initializer(*initargs)` runs once in each worker
    (and once here when the work stays in this process). `batched`: func takes a list of
    items and returns the list of their results, for work cheaper done a batch at a time.
    `stop`: once it returns true, no further chunk starts; the chunks already running
    finish and their results are still yielded (then the results are a subsequence)."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    items = iter(items)
    head = list(islice(items, PARALLEL_FROM))
    if workers <= 1 or len(head) < PARALLEL_FROM:
        if initializer:
            initializer(*initargs)
        for chunk in _chunks(chain(head, items), CHUNK):
            if stop and stop():
                return
            yield from _run_chunk(func, chunk, batched)
        return
    from concurrent.futures import ProcessPoolExecutor  # only when there is work to spread

    chunks = _chunks(chain(head, items), CHUNK)
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                             initargs=(os.getpid(), initializer, initargs)) as pool:
        window: deque = deque()

        def submit(chunk: list) -> None:
            with signals_held():  # a worker forked now decides about them first
                window.append(pool.submit(_run_chunk, func, chunk, batched))

        for chunk in islice(chunks, workers * WINDOW):
            submit(chunk)
        while window:
            future = window.popleft()
            if future.cancelled():
                continue
            results = future.result()
            if stop and stop():
                for waiting in window:
                    waiting.cancel()  # those a worker has taken run to the end
            else:
                for chunk in islice(chunks, 1):
                    submit(chunk)
            yield from results


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely: parsing makes many short-lived objects and
    hardly any cycles, and frequent collections cost a tenth of the time."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*_RARE_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _run_chunk(func: Callable, chunk: list, batched: bool) -> list:
    return func(chunk) if batched else [func(item) for item in chunk]


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    ignore_interrupts()
    _die_with_parent(parent)
    gc.freeze()  # the modules just imported are never garbage: stop scanning them
    gc.set_threshold(*_RARE_COLLECTIONS)
    if initializer:
        initializer(*initargs)


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the process that started it dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):  # not Linux: workers end when their queue closes
        pass


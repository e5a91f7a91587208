"""Ctrl-C and SIGTERM as a request to stop at the next safe moment, not wherever the
process happens to be.

`gloss apply` writes notes through temporary files: stopped between creating one and
renaming it over its note, it would leave the temporary file behind. Inside
`deferred_interrupts()`, SIGINT and SIGTERM only set a flag that the work loop reads
between batches; the loop then finishes (or never starts) each batch, records what was
written and returns. Worker processes ignore both signals (glossary.parallel): their
parent decides when they stop. SIGKILL cannot be caught; what survives it is the
writer's business (every note whole, the glossary intact).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

CAUGHT = (signal.SIGINT, signal.SIGTERM)


class Interruption:
    """Whether, and by which signal, the user asked the work to stop."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __bool__(self) -> bool:
        return self.signal is not None


@contextmanager
def _handled_by(handler: Callable[[int, object], None]) -> Iterator[None]:
    """SIGINT and SIGTERM go to `handler` within the block (only in the main thread, where
    Python runs signal handlers; elsewhere the signals keep their usual effect)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in CAUGHT}
    try:
        yield
    finally:
        for signum, earlier in previous.items():
            signal.signal(signum, earlier)


@contextmanager
def deferred_interrupts() -> Iterator[Interruption]:
    """Within the block, SIGINT and SIGTERM set the yielded Interruption instead of
    stopping the process."""
    interruption = Interruption()

    def ask_to_stop(signum: int, _frame: object) -> None:
        interruption.signal = interruption.signal or signum

    with _handled_by(ask_to_stop):
        yield interruption


class Stopped(BaseException):
    """SIGINT or SIGTERM, raised where the work was (see `signals_stop`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signal = signum
        self.name = signal.Signals(signum).name
        self.exit_status = 128 + signum


@contextmanager
def signals_stop() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise Stopped where the work is, for a job
    done in one transaction (a harvest): it rolls back on the way out, and whoever
    catches Stopped says so and exits with its status (130, 143)."""

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    with _handled_by(stop):
        yield


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back from this thread for the block (a process forked in
    it starts with them held until it decides what they do); they arrive after it."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, CAUGHT)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def ignore_interrupts() -> None:
    """In a worker process: let the parent decide when to stop (see the module)."""
    for signum in CAUGHT:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, CAUGHT)

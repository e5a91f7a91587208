"""Progress on a terminal: one line per stage of a job, drawn on stderr.

A stage that knows its size draws a bar (`Reading notes  [######      ]  4,210/10,000  42%
0:06, 0:08 left`); one that does not counts (`Checking notes  52,340  0:01`); a stage of
named steps says which one is under way. A stage's line appears only once the stage has
lasted a second, so quick work draws nothing, and stays on screen when the next stage
begins. A thread redraws the line ten times a second, so a long step still shows its time
passing; the job itself only counts.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from glossary.progress import Progress

DELAY = 1.0  # seconds a stage runs before its line appears
INTERVAL = 0.1  # seconds between redraws
_BAR = 24  # characters of the bar itself
_DRAWING: list[StageBars] = []  # the bars being drawn (their thread runs)


class StageBars(Progress):
    """Progress drawn on a terminal (see the module docstring); a context manager."""

    wanted = True

    def __init__(self, file: TextIO, *, clock: Callable[[], float] = time.monotonic,
                 redraw: bool = True) -> None:
        self._file = file
        self._clock = clock
        self._lock = threading.Lock()
        self._label: str | None = None
        self._total: int | None = None
        self._pos = 0
        self._doing = ""
        self._steps = False  # a stage of named steps: no time left is guessed
        self._started = 0.0
        self._shown = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._redraw, daemon=True) if redraw else None

    def __enter__(self) -> StageBars:
        if self._thread:
            _DRAWING.append(self)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
            _DRAWING.remove(self)
        with self._lock:
            self._end_stage()

    def stage(self, label: str, total: int | None = None) -> None:
        with self._lock:
            self._end_stage()
            self._label, self._total, self._pos, self._doing = label, total, 0, ""
            self._steps = False
            self._started = self._clock()

    def advance(self, count: int = 1) -> None:
        self._pos += count  # only the job's thread counts; the drawing thread reads

    def doing(self, what: str) -> None:
        self._doing, self._steps = what, True

    def tick(self) -> None:
        """Draw the stage's line if it has lasted long enough (the thread calls this)."""
        with self._lock:
            if self._label is not None and self._clock() - self._started >= DELAY:
                self._draw()

    def _redraw(self) -> None:
        while not self._stop.wait(INTERVAL):
            self.tick()

    def _end_stage(self) -> None:
        if self._shown:
            self._draw(final=True)
            self._file.write("\n")
            self._file.flush()
        self._label, self._shown = None, False

    def _draw(self, final: bool = False) -> None:
        try:
            width = os.get_terminal_size(self._file.fileno()).columns - 1
        except (AttributeError, OSError, ValueError):  # not a terminal after all
            width = 0
        width = width if width > 0 else 79  # a terminal that says no size
        self._file.write("\r" + self.line(final)[:width] + "\x1b[K")
        self._file.flush()
        self._shown = True

    def line(self, final: bool = False) -> str:
        """The stage's line as it reads now (`final`: as it stays when the stage is over)."""
        elapsed = self._clock() - self._started
        pos, total = self._pos, self._total
        parts = [self._label or ""]
        if total:
            done = min(pos / total, 1.0)
            filled = int(done * _BAR)
            parts += [f"[{'#' * filled}{' ' * (_BAR - filled)}]", f"{pos:,}/{total:,}",
                      f"{int(done * 100):3d}%"]
        else:
            parts.append(f"{pos:,}")
        timing = _clock_time(elapsed)
        if total and 0 < pos < total and not (final or self._steps):  # steps are uneven
            timing += f", {_clock_time(elapsed / pos * (total - pos))} left"
        parts.append(timing)
        if self._doing and not final:
            parts.append(self._doing)
        return "  ".join(parts)


def _clock_time(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _hold_drawing() -> None:
    for bars in _DRAWING:
        bars._lock.acquire()


def _let_drawing() -> None:
    for bars in _DRAWING:
        bars._lock.release()


# Worker processes are forked while the drawing thread runs: fork between two of its draws,
# never in the middle of one, so no child inherits a stderr locked by a thread it lacks.
os.register_at_fork(before=_hold_drawing, after_in_parent=_let_drawing,
                    after_in_child=_let_drawing)

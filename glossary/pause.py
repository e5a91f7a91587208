"""Named pause points, for tests that must act at an exact moment of a harvest or an apply.

A test starts gloss with `GLOSS_PAUSE_AT=<point>[,<point>...]` and `GLOSS_PAUSE_DIR=<dir>`
in its environment. A process reaching one of those points creates `<dir>/<point>.<pid>`
and waits until that file is removed; the test waits for the file to appear, does what it
came to do at that moment (kill the process, edit a note, start a second gloss), then
removes the file or kills. Nothing races a clock: the moment is reached on purpose, on a
slow machine as on a fast one. Without those variables a pause point costs one dictionary
look-up.

Points: `lock-held`, `harvest-mid-batch` (inside the harvest's transaction, after each
changed note's rows were written: reached once a note), `harvest-before-commit`,
`harvest-after-commit`, `apply-batch-staged` (in the worker, once a batch's temporary
files are on disk, before any replaces its note), `apply-note-written` (in the worker,
after a note was put in place), `apply-batch-recorded` (after a batch of rewritten notes
was committed to the glossary), `apply-before-commit` (the final recount),
`apply-after-commit`, `export-worker-before-snapshot` (the second process of an export
shared by two, before it opens the glossary: glossary.browse.halves).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_POLL = 0.005  # seconds between looks at the pause file while paused


def pause_point(name: str) -> None:
    """Wait here while a test holds this point (see the module docstring); else return."""
    wanted = os.environ.get("GLOSS_PAUSE_AT")
    if not wanted or name not in wanted.split(","):
        return
    folder = os.environ.get("GLOSS_PAUSE_DIR")
    if not folder:
        return
    marker = Path(folder) / f"{name}.{os.getpid()}"
    marker.touch()
    while marker.exists():
        time.sleep(_POLL)

"""An export that writes every definition, shared by two processes, as a harvest uses every
core: the terms, in export order, are cut where half the work is done (the notes they are
in); a worker writes the second half to a temporary file while this process writes the
first, and the worker's text follows. The file is removed from its folder as soon as it is
made (both processes hold it open), so nothing is left behind however either one ends.

Both halves come from one glossary. This process reads in one transaction; the worker
takes its snapshot while this process holds the glossary's lock, so no harvest or apply
(which hold it) commits between the two, nor any pin (`prefer`, `reading` and `resolve` hold
it too); the worker's pins must also be this process's, in case a pin was written without
it (by the library, or an older gloss), since everything else a pin changes follows from them.
Where another gloss holds the lock, the glossary cannot be locked here, the work is small,
or the worker disagrees or fails, this process writes it all, as one process always did.

The worker runs `python -m glossary.browse.export SPEC` (a new interpreter: a process forked
from one with an open SQLite connection must not use SQLite) and prints two lines: the
digest of its pins once its snapshot is taken, then the rows it wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import NamedTuple, TextIO

import sqlite_utils

from glossary.db import glossary_lock
from glossary.db.roots import glossary_file
from glossary.errors import GlossError

from .rows import EVERY_TERM, Bounds, halfway

PARALLEL_FROM = 50_000  # notes counted over all terms; below, a worker costs what it saves
_COPY = 1 << 20  # bytes (or characters) copied from the worker's file at a time


class Layout(NamedTuple):
    """The text of an export written term by term: `head`; the rows of each run of terms,
    `lead` before the first row of all and `joiner` before the first row of a later run;
    then `tail(rows)`."""

    head: str
    lead: str
    joiner: str
    tail: Callable[[int], str]


# Writes the rows of the terms within some bounds (`before` ahead of the first row, if any);
# returns how many it wrote.
RunWriter = Callable[[sqlite_utils.Database, str, Bounds, TextIO, str], int]
# The layout and run writer of an export: (format, sources, excel) -> them
Writers = Callable[[str, bool, bool], "tuple[Layout, RunWriter] | None"]


def write_term_by_term(db: sqlite_utils.Database, out: TextIO, sort: str, layout: Layout,
                       run: RunWriter, *, spec: dict) -> int:
    """Write an export laid out by `layout` whose rows `run` writes (`spec`: the format,
    sources and excel options, for the worker); returns the rows."""
    out.write(layout.head)
    worker, held = None, False
    began = not db.conn.in_transaction
    try:
        with ExitStack() as lock:
            path = glossary_file(db)
            if path is not None and os.access(path.parent, os.W_OK):
                with suppress(GlossError, OSError):
                    lock.enter_context(glossary_lock(path, timeout=0))
                    held = True
            if began:
                db.execute("begin")  # one snapshot for all this process reads, under the lock
            split, work = halfway(db, sort)
            if held and split and work >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
                assert path is not None
                worker = _Worker.start(db, path, {**spec, "sort": sort, "start": split})
        first = run(db, sort, (None, split) if worker else EVERY_TERM, out, layout.lead)
        rows = first
        if worker:
            joiner = layout.joiner if first else layout.lead
            second = worker.copy_into(out, joiner)
            if second is None:  # the worker failed: write its half here, from this snapshot
                second = run(db, sort, (split, None), out, joiner)
            rows += second
    finally:
        if worker:
            worker.close()
        if began:
            db.conn.rollback()  # ends the read transaction
    out.write(layout.tail(rows))
    return rows


def pins_digest(db: sqlite_utils.Database) -> str:
    """A digest of the glossary's pins, which change with every pin written or removed."""
    digest = hashlib.sha256()
    for table in ("pinned_definitions", "pinned_readings"):
        for row in db.conn.execute(f"select * from [{table}] order by 1"):
            digest.update(json.dumps(row, ensure_ascii=False).encode())
    return digest.hexdigest()


def _same_bytes(out: TextIO) -> bool:
    """Whether `out` writes text as the worker's UTF-8 file holds it, so that its bytes
    can be copied under it."""
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "")
    return hasattr(out, "buffer") and encoding == "utf8" and os.linesep == "\n"


class _Worker:
    """The process writing the second half, started once its snapshot is the same as ours."""

    def __init__(self, process: subprocess.Popen, part: int) -> None:
        self.process = process
        self.part = part  # a file already removed from its folder: it goes with us both

    @classmethod
    def start(cls, db: sqlite_utils.Database, path: Path, spec: dict) -> _Worker | None:
        """The worker, once its snapshot holds our pins; None if it cannot share the export.
        Called under the glossary's lock, inside this process's read transaction."""
        worker, handle = None, None
        try:
            handle, name = tempfile.mkstemp(prefix="gloss-export-", suffix=".part")
            os.unlink(name)  # however either process ends, nothing is left in the folder
            process = subprocess.Popen(
                [sys.executable, "-m", "glossary.browse.export",
                 json.dumps({**spec, "db": str(path), "out": handle})],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8", pass_fds=(handle,))
            worker = cls(process, handle)
            if process.stdout.readline().strip() == pins_digest(db):
                return worker
        except OSError:
            pass
        if worker:
            worker.close()
        elif handle is not None:
            os.close(handle)
        return None

    def copy_into(self, out: TextIO, before: str) -> int | None:
        """Wait for the worker; write its rows to `out` (`before` ahead, if it wrote any) and
        return how many; None if it failed."""
        told = self.process.stdout.read().strip()
        if self.process.wait() != 0 or not told.isdigit():
            return None
        rows = int(told)
        if rows:
            out.write(before)
            os.lseek(self.part, 0, os.SEEK_SET)  # the worker wrote through the same offset
            if _same_bytes(out):  # a UTF-8 file that writes "\n" as it is: copy the bytes
                out.flush()
                with open(self.part, "rb", closefd=False) as part:
                    shutil.copyfileobj(part, out.buffer, _COPY)
            else:
                with open(self.part, encoding="utf-8", newline="", closefd=False) as text:
                    while chunk := text.read(_COPY):
                        out.write(chunk)
        return rows

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        os.close(self.part)


def second_half(spec: dict, writers: Writers) -> None:
    """The worker: take a snapshot, say its pins, write the rows from `spec["start"]` on."""
    from glossary.db import open_db
    from glossary.pause import pause_point

    pause_point("export-worker-before-snapshot")
    db = open_db(spec["db"], create=False, readonly=True)
    db.execute("begin")
    print(pins_digest(db), flush=True)
    heavy = writers(spec["fmt"], spec["sources"], spec["excel"])
    assert heavy is not None
    _, run = heavy
    with open(spec["out"], "w", encoding="utf-8", newline="") as out:  # gloss's open file
        rows = run(db, spec["sort"], (tuple(spec["start"]), None), out, "")
    with suppress(BrokenPipeError):  # gloss is gone (killed): nobody to tell
        print(rows, flush=True)


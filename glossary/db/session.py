"""A command that changes the glossary: the lock held, failures said in one line, and a
glossary it created removed again when it fails before it is done.

A harvest that fails before its first note must not leave an empty glossary behind, on
which `gloss conflicts` would say "No conflicts.". Only what the command created itself
is removed (the database, its log files, the lock file, the folders made for them), and
it is removed while the lock is still held, so no other gloss is inside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .failures import DatabaseError, explained
from .lock import glossary_lock, lock_path
from .open import open_db, read_mode

_BESIDE = ("-wal", "-shm", "-journal")


@contextmanager
def changing_glossary(db_path: str | Path, *, doing: str, create: bool = False,
                      say: Callable[[str], None] | None = None, readonly: bool = False
                      ) -> Iterator[sqlite_utils.Database]:
    """The glossary at `db_path` opened for `doing` (harvest, apply) under its lock;
    SQLite's and the system's failures become one-line GlossErrors (a full disk says what
    was left intact). With `create`, a glossary that did not exist and whose work fails
    is removed, with whatever was created for it; `readonly`: see open_db."""
    db_path = Path(db_path)
    if not create and not db_path.exists():  # before the lock: create nothing
        raise DatabaseError(f"{db_path}: no glossary here; run `gloss harvest` first")
    made = _not_there(db_path) if create and not db_path.exists() else []
    with glossary_lock(db_path, say=say):
        if db_path.exists():  # another gloss created it while this one waited: not ours
            made = []
        db = None
        try:
            with explained(db_path, f"first {doing}" if made else doing):
                db = open_db(db_path, create=create, readonly=readonly)
                yield db
        except BaseException:
            if made:
                if db is not None:
                    db.conn.close()  # before its files go: closing may touch them
                _remove(made)
            raise


def _not_there(db_path: Path) -> list[Path]:
    """The files and folders a new glossary at `db_path` would create, deepest first."""
    files = [db_path, *(db_path.with_name(db_path.name + s) for s in _BESIDE),
             lock_path(db_path)]
    folders = []
    folder = db_path.parent
    while not folder.exists() and folder != folder.parent:
        folders.append(folder)
        folder = folder.parent
    return [p for p in files if not p.exists()] + folders


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            if path.is_dir():
                path.rmdir()  # only when empty: never anything of someone else's
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def reading_glossary(db_path: str | Path, *, doing: str,
                     say: Callable[[str], None] | None = None
                     ) -> Iterator[sqlite_utils.Database]:
    """The glossary at `db_path` opened for a job that only reads it (`apply --check`):
    under its lock where gloss can write, so it never reads half an apply's notes; opened
    read-only, creating nothing, where it cannot (no one can change it there)."""
    db_path = Path(db_path)
    if not db_path.exists() or read_mode(db_path) == "rw":
        with changing_glossary(db_path, doing=doing, say=say, readonly=True) as db:
            yield db
        return
    with explained(db_path, doing):
        yield open_db(db_path, create=False, readonly=True)

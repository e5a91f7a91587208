"""What went wrong with a glossary's file, said honestly, in one line.

SQLite and the operating system report failures by code; each code gets the line that
tells the user what happened and what is left: only a file that is not a database (or
is corrupt) is "not a gloss database"; a place gloss cannot write, a disk that fails, a
full disk and a busy glossary each say so, because "not a gloss database" invites the
user to delete a healthy glossary with their pins.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from glossary.errors import GlossError, NoSpace, SystemRefused

# What a full disk leaves, by what gloss was doing when it filled.
LEFT_INTACT = {
    "open": "nothing was changed",
    "harvest": "the harvest stopped and changed nothing: the previous glossary and every "
               "note are intact; free some space and harvest again",
    "first harvest": "the harvest stopped: every note is intact and no glossary was left "
                     "behind; free some space and harvest again",
    "apply": "gloss apply stopped: every note is whole (rewritten or as it was) and the "
             "glossary is intact; free some space, then run `gloss harvest` and `gloss "
             "apply` again",
}
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
REFUSED = {errno.EROFS, errno.EACCES, errno.EPERM}


class DatabaseError(GlossError):
    """The database cannot be used as a gloss glossary (with a message that says why)."""


def not_writable_because(path: Path) -> str | None:
    """Why a glossary at `path` cannot be written (None when it can, as far as the
    system says before trying): a read-only file system, or no permission."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    if not os.access(folder, os.W_OK | os.X_OK):
        return "permission denied"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return "permission denied"
    return None


def disk_is_full(path: Path) -> bool:
    """Whether the file system holding `path` has no space left for gloss."""
    folder = path.parent if path.parent.exists() else Path(".")
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024


def explain(error: BaseException, path: Path, doing: str = "open") -> GlossError | None:
    """The one-line failure for a SQLite or OS error met while `doing` (open, harvest,
    apply) with the glossary at `path`; None for an error that is not about the glossary's
    file or its disk (a bug, to be seen as one)."""
    if isinstance(error, GlossError):
        return error
    if isinstance(error, sqlite3.Error):
        return _explain_sqlite(error, path, doing)
    if isinstance(error, OSError):
        return _explain_os(error, path, doing)
    return None


def failure_class(error: OSError) -> type[GlossError]:
    """The kind of failure an OS error is (and so its exit status): no space, refused by
    the system (read-only, permission, disk I/O), or input gloss cannot use."""
    if error.errno in NO_SPACE:
        return NoSpace
    return SystemRefused if error.errno in REFUSED | {errno.EIO} else GlossError


def _no_space(path: Path, doing: str) -> NoSpace:
    return NoSpace(f"{path}: no space left on the device; {LEFT_INTACT[doing]}")


def _cannot_write(path: Path, why: str) -> SystemRefused:
    return SystemRefused(f"{path}: cannot write the glossary here ({why})")


def _explain_sqlite(error: sqlite3.Error, path: Path, doing: str) -> GlossError | None:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return DatabaseError(f"{path}: not a gloss database ({error})")
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and disk_is_full(path)):
        return _no_space(path, doing)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        why = not_writable_because(path)
        if why is not None:
            return _cannot_write(path, why)
        if path.exists() and not os.access(path, os.R_OK):
            return SystemRefused(f"{path}: cannot read the glossary (permission denied)")
        return SystemRefused(f"{path}: cannot open the glossary ({error})")
    if name.startswith("SQLITE_IOERR"):
        return SystemRefused(f"{path}: the disk failed to read or write the glossary "
                             f"({error}, {name}); nothing more was changed")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return GlossError(f"{path}: another program holds the glossary ({error}); try again "
                          "when it has finished")
    return None


def _explain_os(error: OSError, path: Path, doing: str) -> GlossError | None:
    if error.errno in NO_SPACE:  # named by the file that found the disk full
        return _no_space(Path(error.filename) if error.filename else path, doing)
    reason = (error.strerror or str(error)).lower()
    if error.errno in REFUSED:
        return _cannot_write(path, reason)
    if error.errno == errno.EIO:
        return SystemRefused(f"{path}: the disk failed to read or write ({reason})")
    if error.errno == errno.ENOENT and error.filename and Path(error.filename).parent.is_dir():
        # the folder exists but takes no new files (such as /proc)
        return _cannot_write(path, "the folder takes no new files")
    return None


@contextmanager
def explained(path: str | Path, doing: str) -> Iterator[None]:
    """Turn SQLite's and the system's failures met while `doing` (harvest, apply) with the
    glossary at `path` into one-line GlossErrors; anything else passes as it is."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        explained_error = explain(error, Path(path), doing)
        if explained_error is None:
            raise
        raise explained_error from None

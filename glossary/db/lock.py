"""One gloss at a time per glossary: an advisory lock on `<db>.lock`.

`gloss harvest` and `gloss apply` hold it while they run, and `gloss prefer`, `reading` and
`resolve` while they write a pin. A second one waits, saying once on stderr which process
holds it, and gives up with a clear message after a timeout. The lock is a POSIX record
lock (`fcntl.lockf`) on an open file, so it disappears with its process, however that
process ends (even SIGKILL): there is never a stale lock to delete by hand. Unlike `flock`,
it is not inherited by forked worker processes, so a worker that outlives a killed gloss
cannot keep holding it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from glossary.errors import GlossError
from glossary.pause import pause_point

from .failures import explain

DEFAULT_TIMEOUT = float(os.environ.get("GLOSS_LOCK_TIMEOUT", "600"))


class LockTimeout(GlossError):
    """Another gloss held the lock for longer than we were willing to wait."""


def lock_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def glossary_lock(
    db_path: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    say: Callable[[str], None] | None = None,
    poll: float = 0.1,
) -> Iterator[None]:
    """Hold the glossary's lock for the block; wait up to `timeout` seconds for it."""
    path = lock_path(db_path)
    fd = _open_lock_file(db_path, path)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # EAGAIN or EACCES: held by another process
                holder = _holder(fd)
                if not told and say is not None:
                    say(f"another gloss is running on {db_path}{holder}; waiting for it "
                        f"(up to {timeout:.0f} s)")
                    told = True
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{db_path}: another gloss is still running{holder} after "
                        f"{timeout:.0f} s; try again when it has finished") from None
                time.sleep(poll)
                continue
            if _is_the_lock_file(fd, path):
                break
            # Its holder removed it (a glossary it created and gave up): lock the new one.
            os.close(fd)
            fd = _open_lock_file(db_path, path)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:  # a full disk: the pid is only for the message of whoever waits
            pass
        pause_point("lock-held")
        yield
    finally:
        os.close(fd)  # releases the lock


def _open_lock_file(db_path: str | Path, path: Path) -> int:
    """The lock file's descriptor, created (with its folder) when missing; a place gloss
    cannot write is said in one line (glossary.db.failures)."""
    try:
        if not path.parent.is_dir():  # no glossary there yet; whoever creates it locks it
            path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        explained = explain(error, Path(db_path))
        if explained is None:
            raise
        raise explained from None


def _is_the_lock_file(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (not removed or replaced)."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""

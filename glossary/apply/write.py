"""Writing a rewritten note to disk, atomically, or refusing and saying why.

The new bytes go to a temporary file in the note's own folder, are flushed to disk and
only then replace the note, so a crash leaves either the old note or the new one, never
half of one. Right before the replace the note is read again: if it changed since gloss
read it, or since the last harvest, nothing is written.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from glossary.db.failures import NO_SPACE
from glossary.notes.file import BOM
from glossary.temp_files import temp_name

STALE_HARVEST = "changed since the last harvest; run `gloss harvest` first"


class WriteRefused(Exception):
    """A note that was not written; the message says why in a few words."""


def encode_note(text: str, bom: bool) -> bytes:
    """The bytes of a note's text: UTF-8, with the byte-order mark it had."""
    return (BOM if bom else b"") + text.encode("utf-8")


def target_of(file: Path, folder: Path) -> Path:
    """The file to write for a note: itself, or the target of a symbolic link when that
    target is inside the notes folder (raises WriteRefused otherwise)."""
    return inside(file.resolve(), folder.resolve(), file)


def inside(real: Path, root: Path, file: Path) -> Path:
    """`real`, the resolved `file`, when it lies inside `root`, the resolved notes folder
    (raises WriteRefused otherwise)."""
    if not real.is_relative_to(root):
        kind = "a symbolic link to" if file.is_symlink() else "resolves to"
        raise WriteRefused(f"is {kind} {real}, outside the notes folder; not written")
    return real


@dataclass
class Staged:
    """A note's new bytes in a temporary file beside it: not yet durable, not yet in place."""

    temp: Path
    target: Path
    fd: int
    written: os.stat_result  # of the temporary file: exactly the new bytes
    read_sha256: str
    db_sha256: str
    flushed: bool = False


def write_note(
    file: Path, data: bytes, *, folder: Path, read_sha256: str, db_sha256: str,
    durable: bool = True, target: Path | None = None,
) -> os.stat_result:
    """Replace the note's bytes with `data` atomically, keeping its permissions.

    `read_sha256` is the hash of the bytes the patches were computed from, `db_sha256` the
    hash the glossary holds. Returns the status (size, modification time) of the file
    written, taken before it replaced the note, so it describes exactly these bytes.
    `durable=False` leaves making the replacement durable to the caller (sync_folder once
    per folder after many notes): until then a power cut may undo it, never half do it.
    `target` is target_of(file, folder) when the caller has it already.
    """
    staged = stage_note(file, data, folder=folder, read_sha256=read_sha256,
                        db_sha256=db_sha256, target=target)
    flush([staged])
    written = put_in_place(staged)
    if durable:
        sync_folder(staged.target.parent)
    return written


def stage_note(
    file: Path, data: bytes, *, folder: Path, read_sha256: str, db_sha256: str,
    target: Path | None = None,
) -> Staged:
    """Write `data` to a temporary file beside the note, with the note's permissions; the
    note itself is untouched until put_in_place, which checks its bytes (arguments as for
    write_note)."""
    target = target or target_of(file, folder)
    info = _status(target)
    temp = temp_name(target)
    try:
        fd = _create_temp(temp)
    except OSError as error:
        raise WriteRefused(f"its folder is not writable ({error.strerror}); not written") from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, info.st_mode & 0o7777)
        _keep_owner(fd, info)
        return Staged(temp, target, fd, os.fstat(fd), read_sha256, db_sha256)
    except OSError as error:
        _discard(temp, fd)
        if error.errno in NO_SPACE:  # a full disk stops the whole apply, not one note
            raise OSError(error.errno, error.strerror, str(file)) from None
        raise WriteRefused(f"could not be written ({error.strerror}); left as it was") from None


def discard(staged: Staged) -> None:
    """Remove a staged note's temporary file: the note stays as it was."""
    _discard(staged.temp, staged.fd)
    staged.fd = -1


def flush(staged: list[Staged]) -> None:
    """Make the staged files' bytes durable. The disk serves the flushes together, which
    takes about half as long as one after another."""
    descriptors = [item.fd for item in staged]
    if len(descriptors) > 1:  # threads that end here: no thread outlives the call (or forks)
        with ThreadPoolExecutor(min(len(descriptors), 8)) as pool:
            done = list(pool.map(_fsynced, descriptors))
    else:
        done = [_fsynced(fd) for fd in descriptors]
    for item, flushed in zip(staged, done, strict=True):
        item.flushed = flushed


def put_in_place(staged: Staged) -> os.stat_result:
    """Replace the note with its flushed temporary file, unless the note changed since it
    was read (raises WriteRefused; the temporary file is removed either way)."""
    try:
        if not staged.flushed:
            raise WriteRefused("could not be written (its bytes did not reach the disk); "
                               "left as it was")
        os.close(staged.fd)
        staged.fd = -1
        _check_current(staged.target, staged.read_sha256, staged.db_sha256)
        os.replace(staged.temp, staged.target)
    except OSError as error:
        _discard(staged.temp, staged.fd)
        raise WriteRefused(f"could not be written ({error.strerror}); left as it was") from None
    except WriteRefused:
        _discard(staged.temp, staged.fd)
        raise
    return staged.written


def _fsynced(fd: int) -> bool:
    try:
        os.fsync(fd)
    except OSError:
        return False
    return True


def _discard(temp: Path, fd: int) -> None:
    if fd >= 0:
        os.close(fd)
    temp.unlink(missing_ok=True)


def _create_temp(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def replaceable(target: Path) -> None:
    """Raise WriteRefused when the note could not be replaced (see _status)."""
    _status(target)


def _status(target: Path) -> os.stat_result:
    """The note's status (for its permissions); refuse a note with other names."""
    try:
        info = os.stat(target)
    except OSError as error:
        raise WriteRefused(f"cannot be read again ({error.strerror}); not written") from None
    if info.st_nlink > 1:
        raise WriteRefused(f"has {info.st_nlink} hard links; replacing it would split them; "
                           "not written")
    return info


def _check_current(target: Path, read_sha256: str, db_sha256: str) -> None:
    """Read the note again; refuse when it is not what the patches were computed from."""
    _status(target)
    try:
        current = hashlib.sha256(target.read_bytes()).hexdigest()
    except OSError as error:
        raise WriteRefused(f"cannot be read again ({error.strerror}); not written") from None
    if current != read_sha256:
        raise WriteRefused("changed while gloss was working on it; not written from a stale "
                           "copy; run `gloss harvest` and apply again")
    if current != db_sha256:
        raise WriteRefused(STALE_HARVEST)


def _keep_owner(fd: int, info: os.stat_result) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass


def sync_folder(folder: Path) -> None:
    """Make the files replaced in a folder durable: flush the folder's entries to disk."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

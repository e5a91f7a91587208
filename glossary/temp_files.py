"""gloss's temporary files beside the notes: their names, and removing stale ones.

`gloss apply` writes each note's new bytes to `.<name>.gloss-tmp-<16 hex digits>` in the
note's folder before renaming it over the note. Only a process killed outright (SIGKILL,
a power cut) between the two leaves one behind; the next harvest or apply removes it.
Only names of exactly that pattern are touched, and only once they are a minute old: a
younger one may belong to a gloss that is writing these notes right now for another
glossary (the glossary's lock covers one glossary, not the notes).

Looking costs a walk of every folder (0.6 s at 100,000 notes), so the glossary remembers
when there may be something to find: a writing apply marks it as it starts and unmarks it
when it ends, and a walk that leaves nothing of ours behind unmarks it too.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

TEMP_MARK = ".gloss-tmp-"
_TEMP_NAME = re.compile(r"^\..+\.gloss-tmp-[0-9a-f]{16}$")
STALE_AFTER = 60.0  # seconds


def temp_name(target: Path) -> Path:
    """A recognisable temporary file next to the target: `.<name>.gloss-tmp-<random>`."""
    return target.with_name(f".{target.name}{TEMP_MARK}{secrets.token_hex(8)}")


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name))


_MARK = "temp_files_possible"


def expect_temp_files(db: sqlite_utils.Database) -> None:
    """Mark that temporary files may be left in the notes folders from now on."""
    db.execute("insert or replace into gloss_meta (key, value) values (?, '1')", [_MARK])


def nothing_left(db: sqlite_utils.Database) -> None:
    """Unmark: no temporary file of this glossary's applies is left."""
    db.execute("delete from gloss_meta where key = ?", [_MARK])


def may_be_left(db: sqlite_utils.Database) -> bool:
    return db.execute("select 1 from gloss_meta where key = ?", [_MARK]).fetchone() is not None


def clean_temp_files(db: sqlite_utils.Database, folders: Iterable[Path]) -> list[Path]:
    """Remove the stale temporary files a killed apply left, if one may have; return them.
    The mark stays while younger ones are left (the next run looks again)."""
    if not may_be_left(db):
        return []
    removed, young = remove_stale_temp_files(folders)
    if not young:
        nothing_left(db)
    return removed


def remove_stale_temp_files(folders: Iterable[Path], older_than: float = STALE_AFTER,
                            ) -> tuple[list[Path], list[Path]]:
    """Remove gloss's temporary files older than `older_than` seconds below the folders
    (hidden folders skipped, as the notes walk skips them); return those removed and
    those left because younger."""
    removed, young = [], []
    deadline = time.time() - older_than
    for folder in folders:
        for directory, subdirs, files in os.walk(folder):
            subdirs[:] = [d for d in subdirs if not d.startswith(".")]
            for name in files:
                if not (name.startswith(".") and TEMP_MARK in name and is_temp_name(name)):
                    continue
                path = Path(directory) / name
                try:
                    if os.lstat(path).st_mtime <= deadline:
                        path.unlink()
                        removed.append(path)
                    else:
                        young.append(path)
                except OSError:
                    pass
    return removed, young

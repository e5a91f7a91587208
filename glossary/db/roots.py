"""The notes roots a glossary records (the `roots` table), and the plan of a command's walk.

A root is recorded by its absolute path and, when it sits in the glossary's own project
(the folder holding the glossary's folder), also relative to the glossary: a project moved
or cloned elsewhere as a whole still finds its notes, and a glossary copied on its own
still finds them where they were.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from glossary.notes.roots import NotesFolderError, NotesRoot, Plan, plan
from glossary.notes.walk import is_utf8, readable_path

from .rows import insert_dicts


def recorded_roots(db: sqlite_utils.Database) -> list[NotesRoot]:
    """The notes roots the glossary was built from (none for a new glossary)."""
    home = glossary_folder(db)
    roots = []
    for folder, relative, prefix, excludes in db.execute(
            "select folder, relative, prefix, excludes from roots order by prefix"):
        found = Path(folder)
        if relative and home is not None:
            moved = Path(os.path.normpath(home / relative))
            if moved.is_dir() or not found.is_dir():
                found = moved
        roots.append(NotesRoot(found, prefix, tuple(excludes.splitlines())))
    return roots


def record_roots(db: sqlite_utils.Database, roots: Sequence[NotesRoot]) -> None:
    """Make `roots` the glossary's notes roots."""
    home = glossary_folder(db)
    rows = []
    for root in roots:
        relative = ""
        if home is not None and root.folder.is_relative_to(home.parent):
            relative = os.path.relpath(root.folder, home)
        rows.append({"folder": str(root.folder), "relative": relative, "prefix": root.prefix,
                     "excludes": "\n".join(root.excludes)})
    db.execute("delete from roots")
    insert_dicts(db, "roots", rows)


def glossary_file(db: sqlite_utils.Database) -> Path | None:
    """The glossary's file, resolved (None in memory)."""
    for _, name, file in db.execute("pragma database_list").fetchall():
        if name == "main" and file:
            return Path(file).resolve()
    return None


def glossary_folder(db: sqlite_utils.Database) -> Path | None:
    """The folder holding the glossary's file (None in memory)."""
    file = glossary_file(db)
    return file.parent if file else None


def notes_plan(db: sqlite_utils.Database, folders: Sequence[Path], *,
               excludes: Sequence[str] | None = None, start_over: bool = False,
               may_change: bool = True) -> Plan:
    """What a command naming `folders` (none: the glossary's roots) works on, checked
    against the disk: NotesFolderError names a folder that is missing or not this
    glossary's (glossary.notes.roots.plan)."""
    shown: dict[Path, str] = {}
    named = []
    for folder in folders:
        if not folder.is_dir():
            raise NotesFolderError.missing(folder)
        real = folder.resolve()
        if not is_utf8(str(real)):
            raise NotesFolderError(f"{readable_path(str(real))}: the folder's path is not valid "
                                   "UTF-8; rename it to harvest it")
        named.append(real)
        shown.setdefault(real, str(folder))
    recorded = recorded_roots(db)
    if not recorded and not may_change:
        raise NotesFolderError(f"{_display(glossary_file(db) or Path('glossary'))}: no notes "
                               "harvested into this glossary yet; run `gloss harvest` first")
    for root in recorded:
        shown.setdefault(root.folder, _display(root.folder))
    chosen = plan(recorded, named, excludes=excludes, start_over=start_over,
                  may_change=may_change, shown=shown)
    for walk in chosen.walks:
        if not walk.root.folder.is_dir():
            raise NotesFolderError(
                f"{shown.get(walk.root.folder, walk.root.folder)}: this glossary's notes "
                "folder is gone; name the folder to harvest and add --start-over (pins are "
                "kept)")
    return chosen


def _display(folder: Path) -> str:
    """A folder as the user would name it from here: relative when below the current
    folder, else absolute."""
    try:
        return str(folder.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(folder)

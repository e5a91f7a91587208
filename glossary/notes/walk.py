"""Finding the notes: every `*.md` file below the notes folders, or why one is not a note."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from glossary.errors import GlossError


class NotesFolderError(GlossError):
    """A notes folder that does not exist or is not a folder."""


@dataclass(frozen=True)
class Source:
    """One note file: where it is on disk and the path the glossary knows it by."""

    file: Path
    path: str
    folder: Path | None = None  # the notes folder it was found in
    link: bool = False  # a symbolic link


def find_notes(folders: Sequence[Path]) -> Iterator[Source | tuple[str, str]]:
    """Every `*.md` below the folders (yields (path, reason) for what cannot be a note).

    One folder: paths relative to it. Several: each prefixed with its folder's name.
    Hidden folders (`.git`, `.obsidian`) are skipped; symbolic links to folders are not
    followed, so a link loop cannot trap the walk. A plain file costs no system call:
    the folder listing says what it is.
    """
    for folder in folders:
        if not folder.is_dir():
            raise NotesFolderError(f"{folder}: no such notes folder")
    prefix = len(folders) > 1
    for folder in folders:
        yield from _notes_below(folder, folder, f"{folder.name}/" if prefix else "")


def _notes_below(folder: Path, directory: Path, rel: str) -> Iterator[Source | tuple[str, str]]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return  # an unreadable folder holds nothing gloss can read
    subdirs = []
    for entry in entries:
        is_dir = _is_dir(entry)
        if is_dir and not entry.name.startswith("."):
            subdirs.append(entry)
        if not entry.name.endswith(".md") or is_dir and entry.name.startswith("."):
            continue
        path = rel + entry.name
        if is_dir:
            yield path, "is a directory, not a note"
        elif entry.is_symlink() and not os.path.exists(entry.path):
            yield path, "is a broken or looping symbolic link"
        else:
            yield Source(directory / entry.name, path, folder, entry.is_symlink())
    for entry in subdirs:
        if not entry.is_symlink():
            yield from _notes_below(folder, directory / entry.name, f"{rel}{entry.name}/")


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False

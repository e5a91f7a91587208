"""Finding the notes: every `*.md` file below the folders walked, or why one is not a note.

What a walk covers is planned by glossary.notes.roots (each note's path is relative to its
root, whatever folder was named); what it leaves out, by glossary.notes.ignore
(`.glossignore` files and `--exclude` patterns). Hidden folders (`.git`, `.obsidian`) are
skipped; symbolic links to folders are not followed, so a link loop cannot trap the walk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .ignore import Rules
from .roots import NotesFolderError, Walk, plan

__all__ = ["NotesFolderError", "Source", "find_notes", "is_utf8", "readable_path",
           "same_file"]


@dataclass(frozen=True)
class Source:
    """One note file: where it is on disk and the path the glossary knows it by."""

    file: Path
    path: str
    folder: Path | None = None  # the notes root it was found in (resolved)
    link: bool = False  # a symbolic link


def same_file(info: os.stat_result) -> tuple[int, int] | None:
    """What makes two notes one file (a symbolic or hard link to it): harvest counts the
    file once, at the first path the walk reaches it by, and apply rewrites it there.
    None where the file system gives no file numbers (every file is then its own)."""
    return (info.st_dev, info.st_ino) if info.st_ino else None


def find_notes(walks: Sequence[Walk | Path]) -> Iterator[Source | tuple[str, str]]:
    """Every `*.md` below the walks (yields (path, reason) for what cannot be a note).

    Plain folders are walked as the roots of a new glossary would be: one folder's notes
    relative to it, several prefixed (glossary.notes.roots.prefixes). A plain file costs
    no system call: the folder listing says what it is.
    """
    if walks and not all(isinstance(w, Walk) for w in walks):
        for folder in walks:
            if not Path(folder).is_dir():
                raise NotesFolderError.missing(Path(folder))
        walks = plan([], [Path(f).resolve() for f in walks]).walks
    for walk in walks:
        if not (walk.root.folder / walk.below).is_dir():
            raise NotesFolderError.missing(walk.root.folder / walk.below)
    for walk in walks:
        rules = _rules_down_to(walk)
        if rules is not None:
            yield from _notes_below(walk.root.folder, walk.root.prefix,
                                    walk.root.folder / walk.below, walk.below, rules)


def _rules_down_to(walk: Walk) -> Rules | None:
    """The rules in force above the folder walked (the root's `--exclude` patterns and
    every `.glossignore` on the way down to it), or None when that folder is hidden or left
    out, as a walk of the whole root would leave it."""
    folder, rel = walk.root.folder, ""
    rules = Rules.of(walk.root.excludes)
    for part in walk.below.split("/")[:-1]:
        rules = rules.entering(folder, rel)
        if part.startswith(".") or rules.leaves_out(rel + part, is_dir=True):
            return None
        folder, rel = folder / part, f"{rel}{part}/"
    return rules


def _notes_below(root: Path, prefix: str, directory: Path, rel: str, rules: Rules
                 ) -> Iterator[Source | tuple[str, str]]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return  # an unreadable folder holds nothing gloss can read
    rules = rules.entering(directory, rel, [entry.name for entry in entries])
    subdirs = []
    for entry in entries:
        name = entry.name
        if _is_dir(entry):
            if name.startswith(".") or rules.leaves_out(rel + name, is_dir=True):
                continue
            if not entry.is_symlink():
                subdirs.append(entry)  # a folder named like a note (x.md) is a folder too
            continue
        if not name.endswith(".md") or rules.leaves_out(rel + name):
            continue
        path = prefix + rel + name
        if not is_utf8(path):
            where = "file name" if is_utf8(prefix + rel) else "name of a folder in its path"
            yield readable_path(path), f"the {where} is not valid UTF-8; rename it"
        elif entry.is_symlink() and not os.path.exists(entry.path):
            yield path, "is a broken or looping symbolic link"
        else:
            yield Source(directory / name, path, root, entry.is_symlink())
    for entry in subdirs:
        yield from _notes_below(root, prefix, directory / entry.name, f"{rel}{entry.name}/",
                                rules)


def is_utf8(text: str) -> bool:
    """False for a name the file system gave as bytes that are not UTF-8 (Python holds
    them as lone surrogates, which SQLite cannot store)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable_path(path: str) -> str:
    """A path that can be printed and stored: bytes that are not UTF-8 as `\\xff`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False

"""Which notes a command works on: the glossary's notes roots and the folders the user names.

A glossary records the folders it was built from (its roots). A note's path is always
relative to its root, whatever folder was named: with one root, `NEJM/IiCM/x.md`; with
several, prefixed with the shortest trailing part of its root's path that tells the roots
apart (`a/notes/x.md`, `b/notes/x.md`). Naming a folder inside a root works on that
folder's notes only; naming a folder outside every root is refused unless every root is
named with it (the folder is added) or the glossary starts over from it. Pure: paths in,
a plan out; the callers resolve the paths and touch the disk.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from glossary.errors import GlossError


class NotesFolderError(GlossError):
    """A notes folder that does not exist, is not a folder, or is not this glossary's."""

    @classmethod
    def missing(cls, folder: Path) -> NotesFolderError:
        """The error for a named folder that is not one: a file, or nothing at all."""
        if folder.exists():
            return cls(f"{folder}: is a file, not a notes folder; name the folder it is in")
        return cls(f"{folder}: no such notes folder")


@dataclass(frozen=True)
class NotesRoot:
    """A notes folder a glossary was built from: resolved, the prefix of its notes' paths,
    and the `--exclude` patterns recorded with it."""

    folder: Path
    prefix: str = ""
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Walk:
    """A folder to walk: a root, and the folder below it (relative, `/`-separated, ending
    in `/`; "" for the whole root)."""

    root: NotesRoot
    below: str = ""

    @property
    def scope(self) -> str:
        """The beginning every note path of this walk shares."""
        return self.root.prefix + self.below


@dataclass(frozen=True)
class Plan:
    """What a command works on: the glossary's roots after it, what to walk, and whether
    the roots change (to be recorded; note paths may change with them)."""

    roots: tuple[NotesRoot, ...]
    walks: tuple[Walk, ...]
    changed: bool = False  # the roots or their patterns change: record them
    moved: bool = False  # a root or its prefix changes: a path may now name another file
    scopes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scopes", tuple(w.scope for w in self.walks))

    @property
    def whole(self) -> bool:
        """Every note of the glossary is walked."""
        return {w.root.folder for w in self.walks if not w.below} == {
            r.folder for r in self.roots}

    def in_scope(self, path: str) -> bool:
        return any(path.startswith(scope) for scope in self.scopes)


def plan(recorded: Sequence[NotesRoot], named: Sequence[Path], *,
         excludes: Sequence[str] | None = None, start_over: bool = False,
         may_change: bool = True, shown: dict[Path, str] | None = None) -> Plan:
    """The plan for folders `named` (resolved; none: every root) on a glossary with roots
    `recorded`.

    `excludes`, when given, replaces the patterns of the roots walked. `may_change`: False
    for a command that must not change the roots (apply). `shown`: how to name a folder
    in a message (as the user typed it)."""
    named = _outermost(named)
    if excludes is not None:
        excludes = tuple(p for p in excludes if p.strip())
    if start_over or not recorded:
        if not may_change:
            raise NotesFolderError("no notes harvested into this glossary yet; "
                                   "run `gloss harvest` first")
        if not named:
            raise NotesFolderError("--start-over needs the notes folder to start over from"
                                   if start_over else "no notes folder named")
        return _roots_of([NotesRoot(f, "", excludes or ()) for f in named])
    recorded = tuple(recorded)
    named = named or [r.folder for r in recorded]
    inside = {f: _root_of(f, recorded) for f in named}
    outside = [f for f, root in inside.items() if root is None]
    if outside:
        _refuse(outside, named, recorded, may_change, shown or {})
    touched = {root.folder for root in inside.values() if root is not None}
    roots = tuple(replace(r, excludes=excludes) if excludes is not None and r.folder in touched
                  else r for r in recorded)
    if outside:  # named with every root: added
        return _roots_of([*roots, *(NotesRoot(f, "", excludes or ()) for f in outside)])
    by_folder = {r.folder: r for r in roots}
    walks = tuple(Walk(by_folder[inside[f].folder], _below(f, inside[f].folder))
                  for f in named)
    return Plan(roots, walks, changed=roots != recorded)


def _roots_of(roots: list[NotesRoot]) -> Plan:
    """A plan that walks new roots whole, with their paths' prefixes."""
    roots = _with_prefixes(roots)
    return Plan(roots, tuple(Walk(r) for r in roots), changed=True, moved=True)


def _refuse(outside: list[Path], named: list[Path], recorded: tuple[NotesRoot, ...],
            may_change: bool, shown: dict[Path, str]) -> None:
    """Raise NotesFolderError for folders outside the roots, unless they may be added:
    named with every root, holding none of them."""
    def name(folder: Path) -> str:
        return shown.get(folder, str(folder))

    folders = [name(r.folder) for r in recorded]
    first = name(outside[0])
    said = f"{first}: not among this glossary's notes (it was harvested from " \
           f"{', '.join(folders)})"
    if not may_change:
        raise NotesFolderError(said)
    for folder in outside:  # a folder holding a root: that root's notes would change paths
        for root in recorded:
            if root.folder.is_relative_to(folder):
                raise NotesFolderError(
                    f"{name(folder)}: holds this glossary's notes folder {name(root.folder)}; "
                    "to harvest it instead, add --start-over (pins are kept)")
    if not all(r.folder in named for r in recorded):
        raise NotesFolderError(
            f"{said}; to add it, name it with them (gloss harvest {' '.join(folders)} "
            f"{first}); to start the glossary over from it, add --start-over (pins are kept)")


def _outermost(folders: Sequence[Path]) -> list[Path]:
    """The folders, in order, without repeats or those inside another one named."""
    unique = list(dict.fromkeys(folders))
    return [f for f in unique if not any(f != g and f.is_relative_to(g) for g in unique)]


def _root_of(folder: Path, roots: Sequence[NotesRoot]) -> NotesRoot | None:
    return next((r for r in roots if folder.is_relative_to(r.folder)), None)


def _below(folder: Path, root: Path) -> str:
    rel = folder.relative_to(root).as_posix()
    return "" if rel == "." else rel + "/"


def _with_prefixes(roots: list[NotesRoot]) -> tuple[NotesRoot, ...]:
    """The roots with the prefixes of their notes' paths (`prefixes`)."""
    return tuple(replace(r, prefix=p)
                 for r, p in zip(roots, prefixes([r.folder for r in roots]), strict=True))


def prefixes(folders: Sequence[Path]) -> list[str]:
    """The prefix of each root's note paths: "" for a single root; else the shortest
    trailing part of each folder's path that no other folder's path ends with
    (`a/notes/` and `b/notes/`), longer where another root's prefix would begin with it,
    so no two notes can share a path."""
    if len(folders) < 2:
        return [""] * len(folders)
    parts = [[p for p in folder.parts if p != folder.anchor] or [folder.anchor.strip(os.sep)
                                                                  or "root"]
             for folder in folders]

    def unique(i: int) -> int:  # the fewest trailing parts no other root ends with
        for k in range(1, len(parts[i]) + 1):
            if all(tuple(parts[j][-k:]) != tuple(parts[i][-k:])
                   for j in range(len(parts)) if j != i):
                return k
        return len(parts[i])

    taken = [unique(i) for i in range(len(folders))]

    def tail(i: int) -> tuple[str, ...]:
        return tuple(parts[i][-taken[i]:])

    while True:
        clash = next(((i, j) for i in range(len(folders)) for j in range(len(folders))
                      if i != j and tail(j)[:len(tail(i))] == tail(i)), None)
        if clash is None:
            return ["/".join(tail(i)) + "/" for i in range(len(folders))]
        grown = False
        for i in clash:
            if taken[i] < len(parts[i]):
                taken[i] += 1
                grown = True
        if not grown:  # two roots of the same path: _outermost keeps that from happening
            raise ValueError(f"roots {folders[clash[0]]} and {folders[clash[1]]} clash")

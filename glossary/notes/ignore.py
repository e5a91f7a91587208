"""Leaving files out: `.glossignore` files and `--exclude` patterns, in gitignore syntax.

A `.glossignore` in any folder of the notes holds patterns relative to that folder, as a
`.gitignore` does, and a deeper file's patterns win over a shallower one's (so `!note.md`
below can take back what a folder above left out). A folder left out is not entered, so
nothing below it can be taken back, as in git. The `--exclude` patterns a glossary records
are relative to the notes root and always leave out what they match. The matching is
pathspec's (gitignore semantics); only this module knows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossary.errors import GlossError

IGNORE_FILE = ".glossignore"


class IgnoreError(GlossError):
    """A `.glossignore` file or an `--exclude` pattern gloss cannot use."""


def compile_patterns(lines: Iterable[str], where: str) -> Any:
    """A gitignore matcher of `lines`, or IgnoreError naming `where` and the bad pattern."""
    import pathspec  # only when there is something to leave out

    lines = list(lines)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, TypeError) as error:  # pathspec's pattern errors are ValueErrors
        bad = next((line for line in lines if _invalid(line)), "")
        raise IgnoreError(f"{where}: not a gitignore pattern: {bad!r} ({error})") from None


def _invalid(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except (ValueError, TypeError):
        return True
    return False


@dataclass(frozen=True)
class Rules:
    """What leaves files out below one notes root: the recorded `--exclude` patterns and
    the `.glossignore` files met on the way down, each with the folder it sits in (its path
    relative to the root, ending in `/`, or "" for the root)."""

    excludes: Any = None  # a compiled matcher, or None
    files: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, excludes: Iterable[str]) -> Rules:
        excludes = [p for p in excludes if p.strip()]
        return cls(compile_patterns(excludes, "--exclude") if excludes else None)

    def entering(self, folder: Path, rel: str, names: Iterable[str] | None = None) -> Rules:
        """These rules with the `.glossignore` of `folder` (at `rel`), if it has one.
        `names`, the folder's listing when the caller has it, spares a system call."""
        if names is not None and IGNORE_FILE not in names:
            return self
        file = folder / IGNORE_FILE
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            return self
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not UTF-8"
            raise IgnoreError(f"{file}: cannot be read ({reason})") from None
        spec = compile_patterns(text.splitlines(), str(file))
        return Rules(self.excludes, (*self.files, (rel, spec)))

    def leaves_out(self, rel: str, *, is_dir: bool = False) -> bool:
        """Whether the file (or folder) at `rel`, relative to the root, is left out."""
        if self.excludes is None and not self.files:
            return False
        name = rel + "/" if is_dir else rel
        if self.excludes is not None and self.excludes.match_file(name):
            return True
        for base, spec in reversed(self.files):  # the deepest file that says something wins
            if name.startswith(base):
                said = spec.check_file(name[len(base):]).include
                if said is not None:
                    return said
        return False

"""`gloss apply`: write every term's canonical definition back into every note, safely.

For each note: read it, skip it when it changed since the last harvest, parse it, compute
the patches, verify the patched text, and write it atomically (unless this is a dry run
or a check). Afterwards the glossary is harvested again, so it matches the notes.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import harvest as harvest_mod
from . import store, writer
from .note import parse_note
from .notefile import NoteError, read_note
from .rewrite import rewrite
from .verify import verify


@dataclass
class NoteOutcome:
    """What apply did (or would do) to one note."""

    path: str
    status: str  # "changed", "unchanged", "skipped" or "refused"
    changed: int = 0  # definitions rewritten
    filled: int = 0  # of which were empty
    reasons: list[str] = field(default_factory=list)
    diff: str = ""


@dataclass
class ApplyReport:
    outcomes: list[NoteOutcome] = field(default_factory=list)
    dry_run: bool = False
    check: bool = False
    removed_temp_files: list[Path] = field(default_factory=list)
    harvest: harvest_mod.HarvestReport | None = None

    def having(self, status: str) -> list[NoteOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def would_change(self) -> bool:
        return bool(self.having("changed"))

    def problems(self) -> list[str]:
        """One line per note skipped or refused, or per definition left alone, with why."""
        return [f"{o.path}: {o.status}: {reason}"
                for o in self.outcomes if o.reasons for reason in o.reasons]

    def summary(self) -> str:
        changed = self.having("changed")
        verb = "would change" if self.dry_run or self.check else "changed"
        definitions = sum(o.changed for o in changed)
        filled = sum(o.filled for o in changed)
        left = sum(len(o.reasons) for o in self.outcomes if o.status in ("changed", "unchanged"))
        line = (f"{len(changed)} notes {verb} ({definitions} definitions, {filled} filled) · "
                f"{len(self.having('unchanged'))} unchanged · "
                f"{len(self.having('skipped'))} skipped · {len(self.having('refused'))} refused")
        if left:
            line += f" · {left} definitions left as written"
        if self.removed_temp_files:
            line += f" · {len(self.removed_temp_files)} stray temporary files removed"
        if self.problems():
            line += "\n" + "\n".join(self.problems())
        return line


def canonical_texts(db: sqlite_utils.Database) -> dict[str, str]:
    """term key → its canonical definition (Japanese if any, else the glosses)."""
    rows = db.execute("select key, japanese, glosses, status from terms")
    return {key: japanese or glosses for key, japanese, glosses, status in rows
            if status != "undefined" and (japanese or glosses)}


def apply(
    folders: Sequence[Path],
    db: sqlite_utils.Database,
    *,
    dry_run: bool = False,
    check: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ApplyReport:
    """Rewrite every note below `folders` to the glossary in `db` (or report what would be)."""
    report = ApplyReport(dry_run=dry_run, check=check)
    writing = not (dry_run or check)
    found = list(harvest_mod.find_notes(folders))
    if writing:
        for folder in folders:
            report.removed_temp_files += writer.clean_temp_files(folder)
    canonical = canonical_texts(db)
    known = {path: row[2] for path, row in store.known_notes(db).items()}
    seen: dict[Path, str] = {}  # real file -> the path it was handled by
    for item in found:
        if isinstance(item, tuple):
            report.outcomes.append(NoteOutcome(item[0], "skipped", reasons=[item[1]]))
        elif item.file.resolve() in seen:
            reason = f"is the same file as {seen[item.file.resolve()]}; handled there"
            report.outcomes.append(NoteOutcome(item.path, "skipped", reasons=[reason]))
        else:
            seen[item.file.resolve()] = item.path
            folder = next((f for f in folders if item.file.is_relative_to(f)), folders[0])
            report.outcomes.append(
                _apply_one(item, folder, known.get(item.path), canonical, writing)
            )
        if progress:
            progress(1)
    if writing and report.having("changed"):
        report.harvest = harvest_mod.harvest(folders, db)
    return report


def _apply_one(source: harvest_mod.Source, folder: Path, db_sha: str | None,
               canonical: dict[str, str], writing: bool) -> NoteOutcome:
    path = source.path
    if db_sha is None:
        return NoteOutcome(path, "skipped", reasons=["not harvested yet; run `gloss harvest` "
                                                      "first"])
    try:
        note_file = read_note(source.file)
    except NoteError as error:
        return NoteOutcome(path, "skipped", reasons=[str(error)])
    if note_file.sha256 != db_sha:
        return NoteOutcome(path, "skipped", reasons=[writer.STALE_HARVEST])
    try:
        note = parse_note(note_file.text)
        new_text, plan = rewrite(note_file.text, note, canonical)
        problems = verify(note_file.text, new_text, canonical) if plan.patches else []
    except Exception as error:  # noqa: BLE001 - a parser bug must not stop the others
        return NoteOutcome(path, "refused", reasons=[f"could not be parsed ({error})"])
    left = [f"line {r.line} ({r.key}): {r.reason}" for r in plan.refusals]
    if not plan.patches:
        return NoteOutcome(path, "unchanged", reasons=left)
    outcome = NoteOutcome(path, "changed", len(plan.patches),
                          sum(p.filled for p in plan.patches), left)
    if problems:
        return NoteOutcome(path, "refused", reasons=problems + left)
    try:
        writer.target_of(source.file, folder)
        if writing:
            writer.write_note(source.file, writer.encode_note(new_text, note_file.bom),
                              folder=folder, read_sha256=note_file.sha256, db_sha256=db_sha)
    except writer.WriteRefused as error:
        return NoteOutcome(path, "refused", reasons=[str(error)] + left)
    outcome.diff = unified_diff(path, note_file.text, new_text)
    return outcome


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of a note's text, with a/ and b/ paths as git writes them."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(keepends=True),
                                     new.splitlines(keepends=True), f"a/{path}", f"b/{path}"):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return "".join(lines)

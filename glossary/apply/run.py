"""`gloss apply`: write every term's canonical definition back into every note, safely.

The glossary says which notes hold a definition that differs from its term's canonical
text; only those are read. Each is rewritten in a worker process (glossary.apply_note):
read, checked against the harvest, patched, verified and written atomically, unless this
is a dry run or a check. What the rewritten notes now say goes into the glossary in the
same pass, and a harvest afterwards picks up anything else that changed meanwhile.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from glossary.db import notes as stored
from glossary.harvest import HarvestReport, harvest
from glossary.notes import definition_text, find_notes
from glossary.parallel import fewer_collections, ordered_map
from glossary.pause import pause_point
from glossary.progress import UNSEEN, Progress, stepper
from glossary.terms.recount import recount

from . import write as writer
from .note import DEFINITION_FIELDS, NoteOutcome, Task, Written, rewrite_notes


@dataclass
class ApplyReport:
    outcomes: list[NoteOutcome] = field(default_factory=list)  # all but the plain unchanged
    unchanged: int = 0  # notes that already agree (and have nothing to report)
    dry_run: bool = False
    check: bool = False
    removed_temp_files: list[Path] = field(default_factory=list)
    harvest: HarvestReport | None = None

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
                f"{self.unchanged + len(self.having('unchanged'))} unchanged · "
                f"{len(self.having('skipped'))} skipped · {len(self.having('refused'))} refused")
        if left:
            line += f" · {left} definitions left as written"
        if self.removed_temp_files:
            line += f" · {len(self.removed_temp_files)} stray temporary files removed"
        if self.problems():
            line += "\n" + "\n".join(self.problems())
        return line


def canonical_texts(db: sqlite_utils.Database) -> dict[str, str]:
    """term key → its canonical definition text (glossary.notes.definition_text)."""
    rows = db.execute("select key, japanese, glosses, status from terms")
    texts = ((key, definition_text(japanese, glosses), status)
             for key, japanese, glosses, status in rows)
    return {key: text for key, text, status in texts if status != "undefined" and text}


def apply(
    folders: Sequence[Path],
    db: sqlite_utils.Database,
    *,
    dry_run: bool = False,
    check: bool = False,
    progress: Progress = UNSEEN,
    jobs: int | None = None,
) -> ApplyReport:
    """Rewrite every note below `folders` to the glossary in `db` (or report what would be);
    in `jobs` worker processes (default: one per core), telling `progress` of its stages:
    rewriting the notes that need it, writing the glossary, then the harvest after."""
    report = ApplyReport(dry_run=dry_run, check=check)
    writing = not (dry_run or check)
    if writing:
        for folder in folders:
            report.removed_temp_files += writer.clean_temp_files(folder)
    canonical = canonical_texts(db)
    outcomes: list[NoteOutcome] = []
    needing = stored.notes_needing_rewrite(db)
    progress.stage("Rewriting notes", len(needing))

    def record(outcome: NoteOutcome) -> None:
        if outcome.status == "unchanged" and not outcome.reasons:
            report.unchanged += 1  # nothing to say about it: a count keeps memory flat
        else:
            outcomes.append(outcome)
        if outcome.path in needing:
            progress.advance()  # rewritten by a worker, or skipped, and recorded here

    tasks = _tasks(folders, db, record, needing)
    affected: set[str] = set()
    written_folders: set[Path] = set()
    pending: list[Written] = []

    def record_written() -> None:
        stored.rewritten_notes(db, ((w.path, w.sha256, w.size, w.mtime_ns, w.definitions)
                                   for w in pending))
        pending.clear()

    with db.atomic(), fewer_collections():
        for outcome, written in ordered_map(_rewrite, tasks, jobs, initializer=_settle,
                                            initargs=(canonical, writing, dry_run),
                                            batched=True):
            record(outcome)
            if written is not None:
                pending.append(written)
                affected |= written.keys
                written_folders.add(written.file.parent)
                if len(pending) >= 64:
                    record_written()
        step = stepper(progress, "Writing the glossary", [
            "recording rewritten notes", "syncing folders", "choosing each term's definition",
            "committing"])
        record_written()
        step()
        for folder in written_folders:  # durable before the glossary says they are written
            writer.sync_folder(folder)
        step()
        if affected:
            recount(db, affected)
        step()
        pause_point("apply-before-commit")
    step()
    pause_point("apply-after-commit")
    report.outcomes = sorted(outcomes, key=lambda o: o.path)
    if writing and report.having("changed"):
        report.harvest = harvest(folders, db, progress=progress)
    return report


def _tasks(folders: Sequence[Path], db: sqlite_utils.Database,
           record: Callable[[NoteOutcome], None], needing: set[str]) -> Iterator[Task]:
    """The notes that need rewriting (`needing`), as tasks; every other note's outcome is
    recorded."""
    known = stored.known_notes(db)
    roots = {folder: folder.resolve() for folder in folders}
    seen: dict[str, str] = {}  # real file -> the path it was handled by
    for item in find_notes(folders):
        if isinstance(item, tuple):
            record(NoteOutcome(item[0], "skipped", reasons=[item[1]]))
            continue
        folder = item.folder or folders[0]
        target = item.file.resolve() if item.link else \
            roots[folder] / item.file.relative_to(folder)
        real = os.fspath(target)
        if real in seen:
            reason = f"is the same file as {seen[real]}; handled there"
            record(NoteOutcome(item.path, "skipped", reasons=[reason]))
            continue
        seen[real] = item.path
        old = known.get(item.path)
        if old is None:
            record(NoteOutcome(item.path, "skipped",
                               reasons=["not harvested yet; run `gloss harvest` first"]))
        elif item.path in needing:
            structure, rows = stored.held_definitions(db, item.path, DEFINITION_FIELDS)
            yield Task(item, roots[folder], target, old[2], structure, tuple(rows))
        elif _changed_since_harvest(item.file, old):
            record(NoteOutcome(item.path, "skipped", reasons=[writer.STALE_HARVEST]))
        else:
            record(NoteOutcome(item.path, "unchanged"))


def _changed_since_harvest(file: Path, old: tuple[int, int, str]) -> bool:
    """Whether a note's bytes differ from the harvested ones (size and time first)."""
    try:
        info = os.stat(file)
        if (info.st_size, info.st_mtime_ns) == old[:2]:
            return False
        return hashlib.sha256(file.read_bytes()).hexdigest() != old[2]
    except OSError:
        return True


_SETTINGS: tuple[dict[str, str], bool, bool] = ({}, False, False)


def _settle(canonical: dict[str, str], writing: bool, want_diff: bool) -> None:
    """In each worker, once: what every note is rewritten to."""
    global _SETTINGS
    _SETTINGS = (canonical, writing, want_diff)


def _rewrite(tasks: list[Task]) -> list[tuple[NoteOutcome, Written | None]]:
    canonical, writing, want_diff = _SETTINGS
    return rewrite_notes(tasks, canonical, writing=writing, want_diff=want_diff)

"""`gloss apply`: write every term's canonical definition back into every note, safely.

The glossary says which notes hold a definition that differs from its term's canonical
text; only those are read. Each is rewritten in a worker process (glossary.apply.note):
read, checked against the harvest, patched, verified and written atomically, unless this
is a dry run or a check. What the rewritten notes now say goes into the glossary batch by
batch, each batch committed once its notes are on disk, so a note gloss wrote is known as
gloss's own however the run ends; the terms they define are counted again at the end (or
by the next harvest or apply, when the run was killed before). Ctrl-C and SIGTERM stop the
run between batches (glossary.interrupt); a harvest afterwards picks up anything else that
changed meanwhile.

Conflicts: a term the notes leave tied is the user's to decide, and apply leaves its
definitions as written unless `ties="newest"` (glossary.terms.choice holds the rule).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path

import sqlite_utils

from glossary.db import notes as stored
from glossary.db.roots import notes_plan
from glossary.harvest import harvest
from glossary.interrupt import Interruption, deferred_interrupts
from glossary.notes import definition_text, find_notes
from glossary.notes.roots import Walk
from glossary.notes.walk import same_file
from glossary.parallel import fewer_collections, ordered_map
from glossary.pause import pause_point
from glossary.progress import UNSEEN, Progress, stepper
from glossary.temp_files import clean_temp_files, expect_temp_files, may_be_left, nothing_left
from glossary.terms.recount import mark_stale, recount, take_stale
from glossary.terms.story import conflicts

from . import write as writer
from .note import DEFINITION_FIELDS, NoteOutcome, Task, Written, rewrite_notes
from .report import ApplyReport

TIES = ("leave", "newest")
RECORD_EVERY = 256  # rewritten notes per committed batch of glossary updates


def canonical_texts(db: sqlite_utils.Database, *, ties: str = "leave") -> dict[str, str]:
    """term key → its canonical definition text (glossary.notes.definition_text); a term
    whose conflict is an undecided tie only with `ties="newest"`."""
    rows = db.execute("select key, japanese, glosses, status, tie from terms")
    texts = ((key, definition_text(japanese, glosses), status, tie)
             for key, japanese, glosses, status, tie in rows)
    return {key: text for key, text, status, tie in texts
            if status != "undefined" and text and (ties == "newest" or not tie)}


def apply(
    folders: Sequence[Path],
    db: sqlite_utils.Database,
    *,
    dry_run: bool = False,
    check: bool = False,
    ties: str = "leave",
    progress: Progress = UNSEEN,
    jobs: int | None = None,
) -> ApplyReport:
    """Rewrite every note below `folders` to the glossary in `db` (or report what would be);
    in `jobs` worker processes (default: one per core). No folders: the glossary's notes
    roots; a folder inside one: its notes only; any other folder is refused
    (glossary.notes.roots), as are the files the roots' rules leave out. `ties`: "leave" leaves the
    definitions of a term the notes leave tied as written; "newest" writes the most recent
    note's. `progress` is told of the stages: rewriting the notes that need it, writing the
    glossary, then the harvest after."""
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, not {ties!r}")
    report = ApplyReport(dry_run=dry_run, check=check, ties=ties)
    plan = notes_plan(db, folders, may_change=False)
    walks = plan.walks
    writing = not (dry_run or check)
    _decisions(db, report)
    if writing:
        report.removed_temp_files = clean_temp_files(
            db, [w.root.folder / w.below for w in walks])
        young_left = may_be_left(db)  # too young to remove yet: the next run looks again
        expect_temp_files(db)  # until this run ends, whatever ends it
    canonical = canonical_texts(db, ties=ties)
    outcomes: list[NoteOutcome] = []
    needing = stored.notes_needing_rewrite(db, ties=ties == "newest")
    if not plan.whole:  # a folder inside the notes: only its notes are walked
        needing = {path for path in needing if plan.in_scope(path)}
    report.needing = len(needing)
    progress.stage("Rewriting notes", len(needing))

    def record(outcome: NoteOutcome) -> None:
        if outcome.status == "unchanged" and not outcome.reasons:
            report.unchanged += 1  # nothing to say about it: a count keeps memory flat
        else:
            outcomes.append(outcome)
        if outcome.path in needing:
            progress.advance()  # rewritten by a worker, or skipped, and recorded here

    with deferred_interrupts() as interruption, fewer_collections():
        tasks = _tasks(walks, db, needing, record, interruption)
        batch = _Batch(db)
        try:
            for outcome, written in ordered_map(_rewrite, tasks, jobs, initializer=_settle,
                                                initargs=(canonical, writing, dry_run),
                                                batched=True, stop=interruption.__bool__):
                record(outcome)
                report.handled += 1
                if written is not None:
                    batch.add(written)
                    if len(batch) >= RECORD_EVERY:
                        batch.commit()
        except (OSError, sqlite3.Error):  # a full disk: record the notes already written
            with suppress(OSError, sqlite3.Error):
                batch.commit()
            raise
        step = stepper(progress, "Writing the glossary", [
            "recording rewritten notes", "choosing each term's definition", "committing"])
        batch.commit()
        step()
        if writing:
            with db.atomic():
                stale = take_stale(db)
                if stale:
                    recount(db, stale)
                step()
                if not young_left:  # every batch was finished: no temporary file of ours
                    nothing_left(db)
                pause_point("apply-before-commit")
        step()
        pause_point("apply-after-commit")
    report.interrupted = interruption.signal
    report.outcomes = sorted(outcomes, key=lambda o: o.path)
    if writing and report.having("changed") and not interruption:
        report.harvest = harvest(folders, db, progress=progress)
    if writing:  # settled is what the notes now agree on, not what this run set out to do
        still = {key for (key,) in db.execute("select key from terms where status = 'conflict'")}
        report.settled = [told for told in report.settled if told.key not in still]
    return report


class _Batch:
    """Rewritten notes not yet recorded: recorded together, once their folders are synced
    (durable before the glossary says they are written), in one short transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.pending: list[Written] = []

    def __len__(self) -> int:
        return len(self.pending)

    def add(self, written: Written) -> None:
        self.pending.append(written)

    def commit(self) -> None:
        if not self.pending:
            return
        for folder in {w.file.parent for w in self.pending}:
            writer.sync_folder(folder)
        with self.db.atomic():
            stored.rewritten_notes(self.db, ((w.path, w.sha256, w.size, w.mtime_ns,
                                              w.definitions) for w in self.pending))
            mark_stale(self.db, {key for w in self.pending for key in w.keys})
        self.pending.clear()
        pause_point("apply-batch-recorded")


def _decisions(db: sqlite_utils.Database, report: ApplyReport) -> None:
    """The conflicts this run settles (by majority, or ties by the newest note) and the
    ties it leaves to the user."""
    for told in conflicts(db):
        if told.tie and report.ties != "newest":
            report.undecided.append(told)
        else:
            report.settled.append(told)


def _tasks(walks: Sequence[Walk], db: sqlite_utils.Database, needing: set[str],
           record: Callable[[NoteOutcome], None], interruption: Interruption
           ) -> Iterator[Task]:
    """The notes that need rewriting, as tasks; every other note's outcome is recorded.
    Once interrupted, the walk stops: the notes not reached are not reported on."""
    known = stored.known_notes(db)
    unreadable = stored.unreadable_notes(db)
    seen: dict[tuple[int, int] | str, str] = {}  # a file (same_file) -> the path it had
    for item in find_notes(walks):
        if interruption:
            return
        if isinstance(item, tuple):
            record(NoteOutcome(item[0], "skipped", reasons=[item[1]]))
            continue
        root = item.folder or walks[0].root.folder  # resolved, as the walk's files are
        target = item.file.resolve() if item.link else item.file
        try:
            info: os.stat_result | None = os.stat(target)
        except OSError:  # gone since the walk: the note's own checks say why
            info = None
        real = (same_file(info) if info else None) or os.fspath(target)
        if real in seen:
            reason = f"is the same file as {seen[real]}; handled there"
            record(NoteOutcome(item.path, "alias", reasons=[reason]))
            continue
        seen[real] = item.path
        old = known.get(item.path)
        if old is None and item.path in unreadable:  # the harvest said why: say it again
            record(NoteOutcome(item.path, "skipped",
                               reasons=[f"cannot be rewritten: {unreadable[item.path]}"]))
        elif old is None:
            record(NoteOutcome(item.path, "skipped",
                               reasons=["not harvested yet; run `gloss harvest` first"]))
        elif item.path in needing:
            structure, rows = stored.held_definitions(db, item.path, DEFINITION_FIELDS)
            yield Task(item, root, target, old[2], structure, tuple(rows))
        elif _changed_since_harvest(item.file, info, old):
            record(NoteOutcome(item.path, "skipped", reasons=[writer.STALE_HARVEST]))
        else:
            record(NoteOutcome(item.path, "unchanged"))


def _changed_since_harvest(file: Path, info: os.stat_result | None,
                           old: tuple[int, int, str]) -> bool:
    """Whether a note's bytes differ from the harvested ones (size and time first, from
    `info`, the note's status as the walk found it; None: it could not be read)."""
    if info is None:
        return True
    try:
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


"""`gloss harvest`: read every note below the folders and bring the glossary up to date.

A note whose size and modification time match the last harvest is not read; one whose
size or time changed is read and hashed (in worker processes), and parsed only when its
hash differs. The database is updated in a single transaction, so a reader never sees half
a harvest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from glossary.db import notes as stored
from glossary.db.roots import notes_plan, record_roots
from glossary.db.rows import DEFINITION_COLUMNS, NoteRows
from glossary.db.schema import bulk_load
from glossary.notes import Source, find_notes
from glossary.notes.roots import Walk
from glossary.notes.walk import same_file
from glossary.parallel import fewer_collections, ordered_map
from glossary.pause import pause_point
from glossary.progress import UNSEEN, Progress, stepper
from glossary.readings import cache as reading_cache
from glossary.terms.choice import Tally
from glossary.terms.recount import count_rows, reader, take_stale, tallies, write_terms
from glossary.wording import counted

from .read import Unchanged, parse_changed

_KEY, _JAPANESE = (DEFINITION_COLUMNS.index(c) for c in ("term_key", "japanese"))


@dataclass
class HarvestReport:
    notes: int = 0
    terms: int = 0
    conflicts: int = 0
    undefined: int = 0
    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: dict[str, str] = field(default_factory=dict)  # notes not harvested: why
    harvested_problems: dict[str, str] = field(default_factory=dict)  # harvested anyway
    folders: list[Path] = field(default_factory=list)  # the folders walked

    def summary(self) -> str:
        line = (f"{counted(self.notes, 'note')} · {counted(self.terms, 'term')} · "
                f"{counted(self.conflicts, 'conflict')} · {self.undefined} undefined")
        if self.problems:
            line += f" · {len(self.problems)} unreadable"
        if self.harvested_problems:
            line += f" · {len(self.harvested_problems)} with problems"
        return line

    def problem_lines(self) -> list[str]:
        """`path: reason` of every note with a problem, harvested or not, by path."""
        every = {**self.problems, **self.harvested_problems}
        return [f"{path}: {reason}" for path, reason in sorted(every.items())]


def harvest(
    folders: Sequence[Path],
    db: sqlite_utils.Database,
    *,
    excludes: Sequence[str] | None = None,
    start_over: bool = False,
    progress: Progress = UNSEEN,
    jobs: int | None = None,
    engine_factory: Callable[[], reading_cache.Engine] = reading_cache.default_engine,
) -> HarvestReport:
    """Bring the glossary in `db` up to date with the notes below `folders`, telling
    `progress` of its stages: finding or checking notes, reading them, writing.

    No folders: the glossary's notes roots. A folder inside a root: that folder's notes
    only, the others kept. A folder outside them: refused (NotesFolderError) unless every
    root is named with it (it is added) or `start_over` (the glossary's notes are those
    of `folders` from now on; pins are kept). `excludes`, when given, replaces the
    gitignore patterns recorded with the roots walked (glossary.notes.roots)."""
    plan = notes_plan(db, folders, excludes=excludes, start_over=start_over)
    report = HarvestReport(folders=[w.root.folder / w.below for w in plan.walks])
    known = stored.known_notes(db)
    seen: set[str] = set()
    files: set[tuple[int, int]] = set()  # one vote per file, however many paths reach it

    def changed() -> Iterator[tuple[Source, str | None]]:
        """The notes whose size or modification time differ from the last harvest, with
        the hash they had then (None for a new note). When the roots moved, a path may
        name another file of the same size and time: every note is hashed."""
        for found in find_notes(plan.walks):
            if isinstance(found, tuple):
                report.problems[found[0]] = found[1]
                seen.add(found[0])
                continue
            old = known.get(found.path)
            try:
                info = found.file.stat()
            except OSError as error:
                seen.add(found.path)
                report.problems[found.path] = f"cannot be read ({error.strerror})"
                continue
            file = same_file(info)
            if file in files:  # a link to a note already read: not a note again
                progress.advance()
                continue
            if file is not None:
                files.add(file)
            seen.add(found.path)
            if old and not plan.moved and (old[0], old[1]) == (info.st_size,
                                                                info.st_mtime_ns):
                report.unchanged += 1
                progress.advance()  # a note checked (see _to_read)
                continue
            yield found, old[2] if old else None

    affected: set[str] = set()  # and below, what an interrupted apply left to recount
    # A first harvest counts every term's definitions as the notes stream by, instead of
    # reading them all back from the database at the end.
    counted: dict[str, Tally] | None = None if known else {}
    readings = reading_cache.Prefetch(db, engine_factory)
    sources = changed()
    if progress.wanted:
        sources, total = _to_read(sources, plan.walks, first=not known, progress=progress)
        progress.stage("Reading notes", total)
    with db.atomic():  # one transaction: a reader sees the old glossary or the new
        with bulk_load(db) if not known else nullcontext(), fewer_collections():
            for result in _parse_all(sources, jobs):
                progress.advance()  # read, parsed by a worker and written here
                if isinstance(result, tuple):
                    report.problems[result[0]] = result[1]
                    continue
                if isinstance(result, Unchanged):
                    stored.touch_note(db, result.path, result.size, result.mtime_ns)
                    report.unchanged += 1
                    continue
                old = known.get(result.path)
                if old:  # a new note has nothing to replace
                    affected |= stored.note_keys(db, result.path)
                affected.update(row[_KEY] for row in result.definitions)
                readings.add(j for row in result.definitions for j in row[_JAPANESE].split(", "))
                if counted is not None:
                    count_rows(counted, result)
                stored.write_note(db, result.note, result.definitions, result.occurrences,
                                  replace=bool(old), problems=result.problems)
                report.parsed += 1
                pause_point("harvest-mid-batch")
            step = stepper(progress, "Writing the glossary", [
                "building indexes" if not known else "dropping notes that are gone",
                "reading new Japanese", "choosing each term's definition", "committing"])
            whole = plan.whole
            for path in set(known) - seen:
                if whole or plan.in_scope(path):  # the rest was not looked at
                    affected |= stored.note_keys(db, path)
                    stored.remove_note(db, path)
                    report.removed += 1
            for path in report.problems:
                if path in known:  # unreadable now: what it said can no longer be trusted
                    affected |= stored.note_keys(db, path)
                    stored.remove_note(db, path)
            stored.set_problems(db, report.problems,
                                within=None if whole else plan.scopes)
            record_roots(db, plan.roots)  # also where a moved project now finds them
        affected |= take_stale(db)
        step()
        if affected:
            readings.flush()
        step()
        if affected:
            write_terms(db, affected, tallies(db, affected) if counted is None else counted,
                        reader(db, readings.factory()))
        step()
        pause_point("harvest-before-commit")
    step()
    pause_point("harvest-after-commit")
    _count(db, report)
    return report


def _to_read(sources: Iterator[tuple[Source, str | None]], walks: Sequence[Walk], *,
             first: bool, progress: Progress
             ) -> tuple[Iterator[tuple[Source, str | None]], int]:
    """The notes to read and how many they are, for a bar that knows its end. A first
    harvest reads every note: a walk of the folders counts them (holding them all would
    cost memory). A later one lists the notes that changed: checking every note is quick
    next to parsing, and few notes change."""
    if first:
        progress.stage("Finding notes")
        count = 0
        for found in find_notes(walks):
            if not isinstance(found, tuple):
                count += 1
                progress.advance()
        return sources, count
    progress.stage("Checking notes")
    listed = []
    for item in sources:  # an unchanged note advances in `changed`, a changed one here
        listed.append(item)
        progress.advance()
    return iter(listed), len(listed)


def _parse_all(sources: Iterator[tuple[Source, str | None]], jobs: int | None
               ) -> Iterator[NoteRows | Unchanged | tuple[str, str]]:
    """Read the notes in order, in worker processes when there are enough of them."""
    return ordered_map(parse_changed, sources, jobs)


def _count(db: sqlite_utils.Database, report: HarvestReport) -> None:
    report.notes = db.execute("select count(*) from notes").fetchone()[0]
    report.harvested_problems = stored.harvested_problems(db)
    counts = dict(db.execute("select status, count(*) from terms group by status").fetchall())
    report.terms = sum(counts.values())
    report.conflicts = counts.get("conflict", 0)
    report.undefined = counts.get("undefined", 0)

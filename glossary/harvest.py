"""`gloss harvest`: read every note below the folders and bring the glossary up to date.

A note whose size and modification time match the last harvest is not read; one whose
bytes hash the same is not parsed again. Changed notes are parsed in worker processes,
and the database is updated in a single transaction, so a reader never sees half a harvest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from . import reading_cache, store
from .canonical import Tally, Vote, count_note
from .case import case_from_path
from .note import Definition, Note, parse_note
from .notefile import NoteError, read_note
from .parallel import fewer_collections, ordered_map


class NotesFolderError(Exception):
    """A notes folder that does not exist or is not a folder."""


@dataclass
class HarvestReport:
    notes: int = 0
    terms: int = 0
    conflicts: int = 0
    undefined: int = 0
    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        line = (f"{self.notes} notes · {self.terms} terms · {self.conflicts} conflicts · "
                f"{self.undefined} undefined")
        if self.problems:
            line += f" · {len(self.problems)} unreadable"
        return line


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


_KEY, _LINE, _LABEL, _JAPANESE, _GLOSSES = (
    store.DEFINITION_COLUMNS.index(name)
    for name in ("term_key", "line", "label", "japanese", "glosses"))
_DATE = store.NOTE_COLUMNS.index("date")


@dataclass(frozen=True)
class Parsed:
    """One parsed note as database rows (tuples in the orders `store` names)."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    note: tuple
    definitions: list[tuple]
    occurrences: list[tuple]


def parse_source(source: Source) -> Parsed | tuple[str, str]:
    """Read and parse one note into database rows, or (path, reason) when it cannot be."""
    try:
        note_file = read_note(source.file)
    except NoteError as error:
        return source.path, str(error)
    try:
        note = parse_note(note_file.text)
    except Exception as error:  # noqa: BLE001 - a parser bug must not stop the harvest
        return source.path, f"could not be parsed ({type(error).__name__}: {error})"
    return rows_of(source.path, note, note_file.sha256, note_file.size, note_file.mtime_ns)


def rows_of(path: str, note: Note, sha256: str, size: int, mtime_ns: int) -> Parsed:
    """The database rows of one parsed note."""
    case = case_from_path(path)
    record = (path, note.title, note.citation, note.url, note.doi, case.date, case.age,
              case.sex, case.collection, sha256, size, mtime_ns, len(note.definitions),
              len(note.occurrences), note.structure)
    definitions = [definition_row(path, d) for d in note.definitions]
    occurrences = [(o.key, path, o.line, o.text, o.context) for o in note.occurrences]
    return Parsed(path, sha256, size, mtime_ns, record, definitions, occurrences)


def definition_row(path: str, d: Definition) -> tuple:
    """A definition as a row of `definitions` (store.DEFINITION_COLUMNS)."""
    meaning, span = d.meaning, d.span
    written = (", ".join(meaning.readings.get(j, "") for j in meaning.japanese)
               if meaning.readings else "")
    return (d.key, path, d.line, d.form, d.label, d.raw, ", ".join(meaning.japanese),
            ", ".join(meaning.glosses), meaning.remark, meaning.pronunciation, written,
            d.destination, span and span.start, span and span.end, span and span.quote,
            span and span.lead)


def harvest(
    folders: Sequence[Path],
    db: sqlite_utils.Database,
    *,
    progress: Callable[[int], None] | None = None,
    jobs: int | None = None,
    engine_factory: Callable[[], reading_cache.Engine] = reading_cache.default_engine,
) -> HarvestReport:
    """Bring the glossary in `db` up to date with the notes below `folders`."""
    report = HarvestReport()
    known = store.known_notes(db)
    seen: set[str] = set()

    def changed() -> Iterator[Source]:
        """The notes whose size or modification time differ from the last harvest."""
        for found in find_notes(folders):
            if isinstance(found, tuple):
                report.problems[found[0]] = found[1]
                seen.add(found[0])
                continue
            seen.add(found.path)
            old = known.get(found.path)
            try:
                info = found.file.stat()
            except OSError as error:
                report.problems[found.path] = f"cannot be read ({error.strerror})"
                continue
            if old and (old[0], old[1]) == (info.st_size, info.st_mtime_ns):
                report.unchanged += 1
                if progress:
                    progress(1)
                continue
            yield found

    affected: set[str] = set()
    # A first harvest counts every term's definitions as the notes stream by, instead of
    # reading them all back from the database at the end.
    counted: dict[str, Tally] | None = None if known else {}
    readings = reading_cache.Prefetch(db, engine_factory)
    with db.atomic():  # one transaction: a reader sees the old glossary or the new
        with store.bulk_load(db) if not known else nullcontext(), fewer_collections():
            for result in _parse_all(changed(), jobs):
                if progress:
                    progress(1)
                if isinstance(result, tuple):
                    report.problems[result[0]] = result[1]
                    continue
                old = known.get(result.path)
                if old and old[2] == result.sha256:
                    store.touch_note(db, result.path, result.size, result.mtime_ns)
                    report.unchanged += 1
                    continue
                if old:  # a new note has nothing to replace
                    affected |= store.note_keys(db, result.path)
                affected.update(row[_KEY] for row in result.definitions)
                readings.add(j for row in result.definitions for j in row[_JAPANESE].split(", "))
                if counted is not None:
                    count_definitions(counted, result)
                store.write_note(db, result.note, result.definitions, result.occurrences,
                                 replace=bool(old))
                report.parsed += 1
            for path in set(known) - seen:
                affected |= store.note_keys(db, path)
                store.remove_note(db, path)
                report.removed += 1
            for path in report.problems:
                if path in known:  # unreadable now: what it said can no longer be trusted
                    affected |= store.note_keys(db, path)
                    store.remove_note(db, path)
            store.set_problems(db, report.problems)
        if affected:
            readings.flush()
            read = _reader(db, readings.factory())
            if counted is None:
                store.refresh_terms(db, affected, read)
            else:
                store.write_terms(db, affected, counted, read)
    _count(db, report)
    return report


def refresh(
    db: sqlite_utils.Database,
    keys: set[str],
    engine_factory: Callable[[], reading_cache.Engine] = reading_cache.default_engine,
) -> None:
    """Recompute these terms from the definitions the database holds, with readings."""
    store.refresh_terms(db, keys, _reader(db, engine_factory))


def _reader(db: sqlite_utils.Database, engine_factory: Callable[[], reading_cache.Engine]
            ) -> Callable[[set[str]], dict[str, tuple[str, str]]]:
    return lambda japanese: reading_cache.resolve(db, japanese, engine_factory)


def count_definitions(counted: dict[str, Tally], parsed: Parsed) -> None:
    """Add one parsed note's definitions to the tallies of their terms."""
    path, date = parsed.path, parsed.note[_DATE] or ""
    count_note(counted, ((row[_KEY], Vote.of(path, date, row[_LABEL], row[_JAPANESE],
                                             row[_GLOSSES], row[_LINE]))
                         for row in parsed.definitions))


def _parse_all(sources: Iterator[Source], jobs: int | None) -> Iterator[Parsed | tuple[str, str]]:
    """Parse the notes in order, in worker processes when there are enough of them."""
    return ordered_map(parse_source, sources, jobs)


def _count(db: sqlite_utils.Database, report: HarvestReport) -> None:
    report.notes = db.execute("select count(*) from notes").fetchone()[0]
    counts = dict(db.execute("select status, count(*) from terms group by status").fetchall())
    report.terms = sum(counts.values())
    report.conflicts = counts.get("conflict", 0)
    report.undefined = counts.get("undefined", 0)

"""`gloss harvest`: read every note below the folders and bring the glossary up to date.

A note whose size and modification time match the last harvest is not read; one whose
bytes hash the same is not parsed again. Changed notes are parsed in worker processes,
and the database is updated in a single transaction, so a reader never sees half a harvest.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

import sqlite_utils

from . import reading_cache, store
from .case import case_from_path
from .note import Note, parse_note
from .notefile import NoteError, read_note

PARALLEL_FROM = 64  # changed notes; below this, worker processes cost more than they save


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


def find_notes(folders: Sequence[Path]) -> Iterator[Source | tuple[str, str]]:
    """Every `*.md` below the folders (yields (path, reason) for what cannot be a note).

    One folder: paths relative to it. Several: each prefixed with its folder's name.
    Hidden folders (`.git`, `.obsidian`) are skipped; symbolic links to folders are not
    followed, so a link loop cannot trap the walk.
    """
    for folder in folders:
        if not folder.is_dir():
            raise NotesFolderError(f"{folder}: no such notes folder")
    prefix = len(folders) > 1
    for folder in folders:
        for directory, subdirs, files in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            base = Path(directory)
            names = sorted(files) + [d for d in subdirs if d.endswith(".md")]
            for name in names:
                if not name.endswith(".md"):
                    continue
                file = base / name
                rel = file.relative_to(folder).as_posix()
                path = f"{folder.name}/{rel}" if prefix else rel
                if file.is_dir():
                    yield path, "is a directory, not a note"
                elif file.is_symlink() and not file.exists():
                    yield path, "is a broken or looping symbolic link"
                else:
                    yield Source(file, path)


@dataclass(frozen=True)
class Parsed:
    path: str
    record: dict
    definitions: list[dict]
    occurrences: list[dict]


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
    return _rows(source.path, note, note_file.sha256, note_file.size, note_file.mtime_ns)


def _rows(path: str, note: Note, sha256: str, size: int, mtime_ns: int) -> Parsed:
    case = case_from_path(path)
    record = {
        "path": path, "title": note.title, "citation": note.citation, "url": note.url,
        "doi": note.doi, "date": case.date, "age": case.age, "sex": case.sex,
        "collection": case.collection, "sha256": sha256, "size": size, "mtime_ns": mtime_ns,
        "definitions_count": len(note.definitions), "occurrences_count": len(note.occurrences),
    }
    definitions = [
        {
            "term_key": d.key, "note_path": path, "line": d.line, "form": d.form,
            "label": d.label, "raw": d.raw, "japanese": ", ".join(d.meaning.japanese),
            "glosses": ", ".join(d.meaning.glosses), "remark": d.meaning.remark,
            "pronunciation": d.meaning.pronunciation,
            "written_reading": ", ".join(d.meaning.readings.get(j, "") for j in d.meaning.japanese)
            if d.meaning.readings else "",
            "destination": d.destination,
        }
        for d in note.definitions
    ]
    occurrences = [
        {"term_key": o.key, "note_path": path, "line": o.line, "text": o.text,
         "context": o.context}
        for o in note.occurrences
    ]
    return Parsed(path, record, definitions, occurrences)


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
    with db.atomic():
        for result in _parse_all(changed(), jobs):
            if progress:
                progress(1)
            if isinstance(result, tuple):
                report.problems[result[0]] = result[1]
                continue
            old = known.get(result.path)
            if old and old[2] == result.record["sha256"]:
                store.touch_note(db, result.path, result.record["size"], result.record["mtime_ns"])
                report.unchanged += 1
                continue
            if old:  # a new note has nothing to replace
                affected |= store.note_keys(db, result.path)
            affected.update(d["term_key"] for d in result.definitions)
            store.write_note(db, result.record, result.definitions, result.occurrences,
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
            refresh(db, affected, engine_factory)
    _count(db, report)
    return report


def refresh(
    db: sqlite_utils.Database,
    keys: set[str],
    engine_factory: Callable[[], reading_cache.Engine] = reading_cache.default_engine,
) -> None:
    """Recompute these terms, with readings for all their Japanese."""
    japanese = store.japanese_of(db, keys)
    readings = reading_cache.resolve(db, japanese, engine_factory)
    store.refresh_terms(db, keys, readings)


def _parse_all(sources: Iterator[Source], jobs: int | None) -> Iterator[Parsed | tuple[str, str]]:
    """Parse the notes in order, in worker processes when there are enough of them.

    Streams: at most a few chunks per worker are in flight, so memory does not grow with
    the number of notes however slowly the caller consumes the results.
    """
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    head = list(islice(sources, PARALLEL_FROM))
    if workers <= 1 or len(head) < PARALLEL_FROM:
        yield from map(parse_source, chain(head, sources))
        return
    chunks = _chunks(chain(head, sources), CHUNK)
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        window: deque = deque()
        for chunk in islice(chunks, workers * WINDOW):
            window.append(pool.submit(_parse_chunk, chunk))
        while window:
            results = window.popleft().result()
            for chunk in islice(chunks, 1):
                window.append(pool.submit(_parse_chunk, chunk))
            yield from results


CHUNK = 32  # notes per task: big enough to amortize the round trip, small enough to stream
WINDOW = 4  # tasks in flight per worker


def _chunks(items: Iterable[Source], size: int) -> Iterator[list[Source]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the harvest that started it dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):  # not Linux: workers end when their queue closes
        pass


def _parse_chunk(chunk: list[Source]) -> list[Parsed | tuple[str, str]]:
    return [parse_source(source) for source in chunk]


def _count(db: sqlite_utils.Database, report: HarvestReport) -> None:
    report.notes = db.execute("select count(*) from notes").fetchone()[0]
    counts = dict(db.execute("select status, count(*) from terms group by status").fetchall())
    report.terms = sum(counts.values())
    report.conflicts = counts.get("conflict", 0)
    report.undefined = counts.get("undefined", 0)

"""Read and parse one note into the glossary's rows: the part of a harvest that runs per
note, in worker processes."""

from __future__ import annotations

from dataclasses import dataclass

from glossary.db.rows import NoteRows, rows_of
from glossary.notes import NoteError, Source, read_note


@dataclass(frozen=True)
class Unchanged:
    """A note whose size or time changed but whose bytes hash as harvested: not parsed."""

    path: str
    size: int
    mtime_ns: int


def parse_source(source: Source, harvested_sha256: str | None = None
                 ) -> NoteRows | Unchanged | tuple[str, str]:
    """Read one note and, unless its bytes hash as `harvested_sha256`, parse it into database
    rows; (path, reason) when it cannot be read or parsed."""
    try:
        note_file = read_note(source.file)
    except NoteError as error:
        return source.path, str(error)
    if note_file.sha256 == harvested_sha256:
        return Unchanged(source.path, note_file.size, note_file.mtime_ns)
    from glossary.notes.parse import parse_note  # only now: a warm harvest never parses

    try:
        note = parse_note(note_file.text)
    except Exception as error:  # noqa: BLE001 - a parser bug must not stop the harvest
        return source.path, f"could not be parsed ({type(error).__name__}: {error})"
    return rows_of(source.path, note, note_file.sha256, note_file.size, note_file.mtime_ns)


def parse_changed(item: tuple[Source, str | None]) -> NoteRows | Unchanged | tuple[str, str]:
    """parse_source for a (note, hash at the last harvest) pair, as harvest hands them out."""
    return parse_source(*item)

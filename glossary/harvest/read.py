"""Read and parse one note into the glossary's rows: the part of a harvest that runs per
note, in worker processes."""

from __future__ import annotations

from glossary.db.rows import NoteRows, rows_of
from glossary.notes import NoteError, Source, parse_note, read_note


def parse_source(source: Source) -> NoteRows | tuple[str, str]:
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

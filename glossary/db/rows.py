"""A parsed note as the glossary's rows: tuples in the column orders of glossary.db.schema."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from glossary.notes import Definition, Note, case_from_path

from .schema import columns_of

NOTE_COLUMNS = columns_of("notes")
DEFINITION_COLUMNS = columns_of("definitions")
OCCURRENCE_COLUMNS = columns_of("occurrences")


@dataclass(frozen=True)
class NoteRows:
    """One parsed note as database rows (tuples in the orders above)."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    note: tuple
    definitions: list[tuple]
    occurrences: list[tuple]
    problems: tuple[str, ...] = ()  # what was read, but not as written (Note.problems)


def rows_of(path: str, note: Note, sha256: str, size: int, mtime_ns: int) -> NoteRows:
    """The database rows of one parsed note."""
    case = case_from_path(path)
    record = (path, note.title, note.citation, note.url, note.doi, case.date, case.age,
              case.sex, case.collection, sha256, size, mtime_ns, len(note.definitions),
              len(note.occurrences), note.structure)
    definitions = [definition_row(path, d) for d in note.definitions]
    occurrences = [(o.key, path, o.line, o.text, o.context) for o in note.occurrences]
    return NoteRows(path, sha256, size, mtime_ns, record, definitions, occurrences,
                    tuple(note.problems))


def definition_row(path: str, d: Definition) -> tuple:
    """A definition as a row of `definitions` (DEFINITION_COLUMNS)."""
    meaning, span = d.meaning, d.span
    written = (", ".join(meaning.readings.get(j, "") for j in meaning.japanese)
               if meaning.readings else "")
    return (d.key, path, d.line, d.form, d.label, d.raw, ", ".join(meaning.japanese),
            ", ".join(meaning.glosses), meaning.remark, meaning.pronunciation, written,
            d.destination, span and span.start, span and span.end, span and span.quote,
            span and span.lead)


def insert_rows(db: sqlite_utils.Database, table: str, columns: Sequence[str],
                rows: list[Sequence]) -> None:
    """Insert tuples in the order of `columns` (straight to sqlite3: harvest inserts millions)."""
    if rows:
        db.conn.executemany(
            f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"values ({', '.join('?' for _ in columns)})", rows)


def insert_dicts(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Insert rows given as dicts, all with the same keys."""
    if rows:
        columns = list(rows[0])
        insert_rows(db, table, columns, [[row[c] for c in columns] for row in rows])

"""The notes' rows in the glossary: what harvest knows of each note, writing and removing
a note's rows, and what apply reads and records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlite_utils

from .rows import (
    DEFINITION_COLUMNS,
    NOTE_COLUMNS,
    OCCURRENCE_COLUMNS,
    insert_dicts,
    insert_rows,
)


def known_notes(db: sqlite_utils.Database) -> dict[str, tuple[int, int, str]]:
    """path -> (size, mtime_ns, sha256) of every harvested note."""
    return {
        row[0]: (row[1], row[2], row[3])
        for row in db.execute("select path, size, mtime_ns, sha256 from notes")
    }


def note_keys(db: sqlite_utils.Database, path: str) -> set[str]:
    rows = db.execute("select distinct term_key from definitions where note_path = ?", [path])
    return {row[0] for row in rows}


def remove_note(db: sqlite_utils.Database, path: str) -> None:
    for table, column in [("definitions", "note_path"), ("occurrences", "note_path"),
                          ("notes", "path"), ("problems", "path")]:
        db.execute(f"delete from {table} where {column} = ?", [path])


def write_note(db: sqlite_utils.Database, note: Sequence, definitions: list[Sequence],
               occurrences: list[Sequence], *, replace: bool = True,
               problems: Sequence[str] = ()) -> None:
    """Replace everything the glossary holds about one note (`replace=False`: a new note),
    with what was wrong in it though it was harvested (`problems`).

    Rows are tuples in the order of NOTE_COLUMNS, DEFINITION_COLUMNS and OCCURRENCE_COLUMNS.
    """
    if replace:
        remove_note(db, note[0])
    insert_rows(db, "notes", NOTE_COLUMNS, [note])
    insert_rows(db, "definitions", DEFINITION_COLUMNS, definitions)
    insert_rows(db, "occurrences", OCCURRENCE_COLUMNS, occurrences)
    if problems:  # "or replace": the note may have been unreadable at the last harvest
        db.execute("insert or replace into problems (path, reason, harvested) values (?, ?, 1)",
                   [note[0], "; ".join(problems)])


def touch_note(db: sqlite_utils.Database, path: str, size: int, mtime_ns: int) -> None:
    db.execute("update notes set size = ?, mtime_ns = ? where path = ?", [size, mtime_ns, path])


def notes_needing_rewrite(db: sqlite_utils.Database, *, ties: bool = False) -> set[str]:
    """Notes holding a definition whose text differs from its term's canonical text
    (`ties`: counting the terms whose conflict is an undecided tie)."""
    # Note by note, stopping at the first such definition: when most notes need rewriting
    # this reads a few definitions of each instead of all of them (0.6 s against 2.3 s at
    # 100,000 notes), and when none do it reads what a scan of every definition reads.
    # Equal columns give equal texts, so the rule (a Python function) runs only where
    # they differ.
    rows = db.execute(
        """select n.path from notes n where exists (
             select 1 from definitions d join terms t on t.key = d.term_key
             where d.note_path = n.path
               and t.status != 'undefined' and (t.tie = 0 or ?)
               and (d.japanese != t.japanese or d.glosses != t.glosses)
               and definition_text(t.japanese, t.glosses) != ''
               and definition_text(d.japanese, d.glosses)
                != definition_text(t.japanese, t.glosses))""", [int(ties)])
    return {row[0] for row in rows}


def held_definitions(db: sqlite_utils.Database, path: str,
                     columns: Sequence[str]) -> tuple[str, list[tuple]]:
    """A note's structure fingerprint and its definitions' `columns`, by line."""
    conn = db.conn  # straight to sqlite3: apply asks once per note
    (structure,) = conn.execute("select structure from notes where path = ?", [path]).fetchone()
    rows = conn.execute(f"select {', '.join(columns)} from definitions where note_path = ? "
                      "order by line, form", [path]).fetchall()
    return structure or "", rows


def rewritten_notes(db: sqlite_utils.Database,
                    notes: Iterable[tuple[str, str, int, int, list[Sequence]]]) -> None:
    """Record notes apply rewrote: (path, sha256, size, mtime_ns, the definitions rewritten
    as rows in DEFINITION_COLUMNS order). Nothing else changed: apply verified that."""
    notes = list(notes)
    # A rewrite changes a definition's text, never its term: leaving term_key out of the
    # update spares its two indexes (2.5 times faster).
    columns = [c for c in DEFINITION_COLUMNS if c not in _DEFINITION_PLACE + ("term_key",)]
    at = [DEFINITION_COLUMNS.index(c) for c in columns + list(_DEFINITION_PLACE)]
    db.conn.executemany(
        f"update definitions set {', '.join(f'{c} = ?' for c in columns)} "
        f"where {' and '.join(f'{c} = ?' for c in _DEFINITION_PLACE)}",
        [[row[i] for i in at] for *_, definitions in notes for row in definitions])
    db.conn.executemany("update notes set sha256 = ?, size = ?, mtime_ns = ? where path = ?",
                        [(sha, size, mtime_ns, path) for path, sha, size, mtime_ns, _ in notes])


# What a rewrite keeps and finds a definition by (with the note_path, line index: a
# term_key here would let SQLite pick the form, term_key index and scan a term's rows).
_DEFINITION_PLACE = ("note_path", "line", "form")


def set_problems(db: sqlite_utils.Database, problems: dict[str, str],
                 within: Sequence[str] | None = None) -> None:
    """Record the notes this harvest could not read (those harvested with a problem are
    kept with their notes' rows, by write_note and remove_note), replacing those recorded
    before: every one, or those whose paths begin with one of `within` (the folders a
    harvest of part of the notes looked at)."""
    if within is None or "" in within:
        db.execute("delete from problems where not harvested")
        within = ()
    for scope in within:  # each ends in "/": the paths below sort before "<scope>0"
        db.execute("delete from problems where not harvested and path >= ? and path < ?",
                   [scope, scope[:-1] + "0"])
    insert_dicts(db, "problems", [{"path": p, "reason": r, "harvested": 0}
                                  for p, r in sorted(problems.items())])


def unreadable_notes(db: sqlite_utils.Database) -> dict[str, str]:
    """path -> why the last harvest could not read it, of every note it left out."""
    return dict(db.execute("select path, reason from problems where not harvested").fetchall())


def harvested_problems(db: sqlite_utils.Database) -> dict[str, str]:
    """path -> what is wrong, of every note harvested in spite of a problem."""
    return dict(db.execute("select path, reason from problems where harvested").fetchall())

"""The glossary's rows as the exports read them: one per term, one per definition, and each
term as a document with its translations and sources, in the order asked for.

Terms are read in the order of an index (the term case-folded, or the reading's gojūon
key), a term's cases from `term_cases` (glossary.terms.lists) by an index, and a term's
definitions one term at a time, so an export streams in memory that does not grow with
the notes. A term's definitions and their notes are read from indexes that hold what an
export writes (glossary.db.schema), never row by row from tables stored note by note.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import sqlite_utils

SORTS = ("term", "reading")
# The planner would look a note up by its primary key and then read its row; this index
# holds what exports show of a note, so a case costs one lookup.
NOTES = "notes n indexed by idx_notes_path_date_citation_url"


def order_by(sort: str, table: str = "t") -> str:
    """The SQL ORDER BY for a sort: by term, case set aside (its key, the order of the
    terms table's pages), or in gojūon order of the reading (glossary.readings.collation;
    terms without a reading last), then by term."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    if sort == "reading":
        return f"{table}.reading_key, {table}.key"
    return f"{table}.key"


Bounds = tuple[tuple | None, tuple | None]  # a run of terms in export order: the sort key
# of its first term and of the term after its last (None: from the first, to the last)
EVERY_TERM: Bounds = (None, None)


def terms_in(sort: str, bounds: Bounds, columns: str) -> tuple[str, list]:
    """The SQL and parameters that read `columns` of the terms within `bounds`, in order."""
    key = f"({order_by(sort)})"
    start, stop = bounds
    where = [f"{key} >= ({', '.join('?' * len(start))})"] if start else []
    where += [f"{key} < ({', '.join('?' * len(stop))})"] if stop else []
    sql = (f"select {columns} from terms t {'where ' + ' and '.join(where) if where else ''}"
           f" order by {order_by(sort)}")
    return sql, [*(start or ()), *(stop or ())]


def halfway(db: sqlite_utils.Database, sort: str) -> tuple[tuple | None, int]:
    """The sort key of the term that starts the second half of the export, the terms
    halved by the notes they are in (the work of exporting them), and that work in all."""
    rows = db.conn.execute(
        f"select {order_by(sort)}, t.notes_count from terms t order by {order_by(sort)}"
    ).fetchall()
    total = sum(row[-1] for row in rows)
    done = 0
    for row in rows:
        if done * 2 >= total:
            return tuple(row[:-1]), total
        done += row[-1]
    return None, total


# A term's cases, oldest first, each note once (a note may give a term two texts).
_CASES = f"""(select group_concat(citation, '; ') from (
                 select distinct coalesce(nullif(n.citation, ''), c.note_path) as citation
                 from term_cases c join {NOTES} on n.path = c.note_path
                 where c.term_key = t.key order by c.date, c.note_path))"""


def term_rows(db: sqlite_utils.Database, sort: str = "term", *, cases: bool = True
              ) -> Iterator[dict]:
    """One row per term; with `cases`, the citation keys of its cases `; `-joined."""
    sql = f"""
        select t.term, t.japanese, t.reading, t.romaji, t.glosses, t.status, t.notes_count,
               {_CASES if cases else "''"} as cases
        from terms t order by {order_by(sort)}"""
    for row in db.query(sql):
        row["cases"] = row["cases"] or ""
        yield row


BATCH = 1000  # rows fetched and written at a time: few calls per row, memory bounded


def batches(cursor: sqlite3.Cursor) -> Iterator[list]:
    """A cursor's rows, BATCH at a time."""
    while batch := cursor.fetchmany(BATCH):
        yield batch


def source_rows(db: sqlite_utils.Database, sort: str = "term", bounds: Bounds = EVERY_TERM
                ) -> Iterator[list[tuple]]:
    """Every definition found in a note (of the terms within `bounds`) as a row in the order
    of SOURCE_COLUMNS, in batches: where each variant came from (term by term, each term's
    definitions by note and line)."""
    conn = db.conn
    for key, term in conn.execute(*terms_in(sort, bounds, "t.key, t.term")):
        yield from batches(conn.execute(_TERM_SOURCES, [term, key]))


SOURCE_COLUMNS = ("term", "note", "line", "form", "raw", "japanese", "glosses")
_TERM_SOURCES = ("select ?, note_path, line, form, raw, japanese, glosses from definitions "
                 "where term_key = ? order by note_path, line")
# A term's translations, the canonical first, then by how many notes give them.
TRANSLATIONS = ("select japanese, reading, romaji, notes_count, canonical from translations "
                 "where term_key = ? order by canonical desc, notes_count desc, japanese")
# Each source as a JSON object, built by SQLite (a big export writes millions of them):
# with its note's citation, oldest first, or with its term.
_SOURCES = f"""select json_object('note', d.note_path, 'citation', n.citation, 'url', n.url,
                                  'line', d.line, 'form', d.form, 'raw', d.raw,
                                  'japanese', d.japanese, 'glosses', d.glosses)
               from definitions d join {NOTES} on n.path = d.note_path
               where d.term_key = ? order by n.date, d.note_path, d.line"""
_SOURCE_OBJECTS = """select json_object('term', ?, 'note', note_path, 'line', line,
                                        'form', form, 'raw', raw, 'japanese', japanese,
                                        'glosses', glosses)
                     from definitions where term_key = ? order by note_path, line"""


def source_objects(db: sqlite_utils.Database, sort: str = "term", bounds: Bounds = EVERY_TERM
                   ) -> Iterator[list[tuple[str]]]:
    """source_rows as JSON objects (1-tuples of text), in batches."""
    conn = db.conn
    for key, term in conn.execute(*terms_in(sort, bounds, "t.key, t.term")):
        yield from batches(conn.execute(_SOURCE_OBJECTS, [term, key]))


def term_documents(db: sqlite_utils.Database, sort: str = "term", bounds: Bounds = EVERY_TERM
                   ) -> Iterator[tuple[dict, Iterator[list[tuple[str]]]]]:
    """Every term (within `bounds`) as a JSON-ready dict with its translations, and its
    sources as batches of JSON objects (1-tuples of text; read them before asking for the
    next term)."""
    conn = db.conn
    terms = conn.execute(*terms_in(sort, bounds, (
        "t.key, t.term, t.japanese, t.reading, t.romaji, t.glosses, t.status, t.notes_count")))
    for key, term, japanese, reading, romaji, glosses, status, notes_count in terms:
        translations = [
            {"japanese": j, "reading": r, "romaji": ro, "notes_count": count,
             "canonical": bool(canonical)}
            for j, r, ro, count, canonical in conn.execute(TRANSLATIONS, [key])]
        head = {"key": key, "term": term, "japanese": japanese, "reading": reading,
                "romaji": romaji, "glosses": glosses, "status": status,
                "notes_count": notes_count, "translations": translations}
        yield head, batches(conn.execute(_SOURCES, [key]))

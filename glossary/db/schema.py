"""The glossary's shape: its tables, indexes, full-text indexes and views.

The notes are the source of truth: the tables `notes`, `definitions`, `occurrences`,
`terms` and `translations` are derived from them and rebuilt by every harvest;
`pinned_definitions` and `pinned_readings` hold the user's own decisions and are never
touched by a harvest. Each table is declared once, here, and the column orders that rows
are written in are read from these declarations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import sqlite_utils

SCHEMA_VERSION = 5  # 2: definitions keep their spans, notes their structure; 3: reading_key;
# 4: problems of notes harvested anyway; 5: terms.tie, stale_terms, and a structure
# fingerprint that keeps Terminology items' definitions


class Table(NamedTuple):
    columns: dict[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()


_TO_TERMS = ("term_key", "terms", "key")
_TO_NOTES = ("note_path", "notes", "path")

TABLES: dict[str, Table] = {
    "gloss_meta": Table({"key": str, "value": str}, "key"),
    "notes": Table({
        "path": str, "title": str, "citation": str, "url": str, "doi": str, "date": str,
        "age": str, "sex": str, "collection": str, "sha256": str, "size": int,
        "mtime_ns": int, "definitions_count": int, "occurrences_count": int, "structure": str,
    }, "path"),
    "terms": Table({
        "key": str, "term": str, "japanese": str, "reading": str, "romaji": str,
        "glosses": str, "status": str, "notes_count": int, "variants_count": int,
        "pinned": int, "reading_key": str, "tie": int,
    }, "key"),
    "definitions": Table({
        "id": int, "term_key": str, "note_path": str, "line": int, "form": str, "label": str,
        "raw": str, "japanese": str, "glosses": str, "remark": str, "pronunciation": str,
        "written_reading": str, "destination": str, "span_start": int, "span_end": int,
        "span_quote": str, "span_lead": str,
    }, "id", (_TO_TERMS, _TO_NOTES)),
    "translations": Table({
        "term_key": str, "japanese": str, "reading": str, "romaji": str, "notes_count": int,
        "canonical": int,
    }, ("term_key", "japanese"), (_TO_TERMS,)),
    "occurrences": Table({
        "id": int, "term_key": str, "note_path": str, "line": int, "text": str,
        "context": str,
    }, "id", (_TO_TERMS, _TO_NOTES)),
    "readings": Table({
        "japanese": str, "reading": str, "romaji": str, "source": str,
        "engine_version": str,
    }, "japanese"),
    "pinned_definitions": Table({"term_key": str, "definition": str, "pinned_at": str},
                                "term_key"),
    "pinned_readings": Table({"japanese": str, "reading": str, "pinned_at": str}, "japanese"),
    "problems": Table({"path": str, "reason": str, "harvested": int}, "path"),
    "stale_terms": Table({"key": str}, "key"),
}


def columns_of(table: str) -> tuple[str, ...]:
    """The columns a row of `table` is written with (its id, if it has one, left to SQLite)."""
    return tuple(c for c in TABLES[table].columns if c != "id")


# Tables a harvest derives from the notes: an older database's are dropped and rebuilt by
# the next harvest (every note is read again). The user's pins are carried over.
DERIVED = {"notes", "definitions", "occurrences", "terms", "translations", "readings",
           "problems", "stale_terms"}
PINS = ("pinned_definitions", "pinned_readings")

_FULL_TEXT = {
    "terms": ["term", "japanese", "reading", "romaji", "glosses"],
    "translations": ["japanese", "reading", "romaji"],
}


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create every table, index, full-text index and view the glossary needs (idempotent)."""
    tables = set(db.table_names())
    with db.atomic():
        for name, table in TABLES.items():
            if name not in tables:
                db[name].create(table.columns, pk=table.pk,
                                foreign_keys=list(table.foreign_keys) or None)
        create_indexes(db)
        db.execute(
            "insert or replace into gloss_meta (key, value) values ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
    for table, columns in _FULL_TEXT.items():
        if f"{table}_fts" not in db.table_names():
            db[table].enable_fts(columns, create_triggers=True)
    _ensure_views(db)


# Every query gloss and the browse views run filters or joins on one of these
# (tests/db/test_indexes.py checks the plan of every statement gloss runs).
_INDEXES = [
    ("definitions", ["term_key"]),
    ("definitions", ["note_path", "line"]),  # a note's definitions, and one of them by line
    ("definitions", ["form", "term_key"]),  # the form facet, and filtering by it
    ("occurrences", ["term_key"]), ("occurrences", ["note_path"]),
    ("translations", ["japanese"]), ("terms", ["status"]),
    ("terms", ["reading_key", "term"]),  # gojūon order (glossary.readings.collation)
    ("terms", ["term", "key"]),  # Datasette's default order for terms
    ("notes", ["collection"]), ("notes", ["date"]),
]
_BULK_LOADED = {"definitions", "occurrences"}  # tables whose indexes a first harvest defers


def create_indexes(db: sqlite_utils.Database) -> None:
    for table, columns in _INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    # Readings written in notes are rare: a partial index finds them without a scan.
    db.execute("create index if not exists idx_definitions_written_reading on definitions "
               "(written_reading, japanese) where written_reading != ''")


@contextmanager
def bulk_load(db: sqlite_utils.Database) -> Iterator[None]:
    """Fill an empty glossary faster: build the note tables' indexes once, at the end,
    instead of row by row (inside the caller's transaction, so readers never miss them)."""
    for table, columns in _INDEXES:
        if table in _BULK_LOADED:
            db.execute(f"drop index if exists [idx_{table}_{'_'.join(columns)}]")
    db.execute("drop index if exists idx_definitions_written_reading")
    try:
        yield
    finally:
        create_indexes(db)


_VIEWS = {
    "conflicts": """
        select t.term, t.japanese as canonical, d.japanese as variant, d.glosses,
               group_concat(distinct d.note_path) as notes, t.key as term_key
        from terms t join definitions d on d.term_key = t.key
        where t.status = 'conflict' and (d.japanese != '' or d.glosses != '')
        group by t.key, d.japanese, d.glosses
        order by t.term, count(distinct d.note_path) desc""",
    "undefined": """
        select t.term, group_concat(distinct d.note_path) as notes, t.key as term_key
        from terms t join definitions d on d.term_key = t.key
        where t.status = 'undefined'
        group by t.key order by t.term""",
    # Added for browsing (gloss serve): one row per note, with the journal URL Datasette links.
    "term_cases": """
        select t.term, d.japanese, n.title, n.citation, n.url, d.note_path, n.date,
               min(d.line) as line, group_concat(distinct d.form) as forms, t.key as term_key
        from terms t join definitions d on d.term_key = t.key
        join notes n on n.path = d.note_path
        group by t.key, d.note_path, d.japanese
        order by t.term, n.date, d.note_path""",
    "conflict_variants": """
        select t.term, t.japanese as canonical, d.japanese as variant, d.glosses,
               d.note_path, n.citation, n.url, min(d.line) as line, t.key as term_key
        from terms t join definitions d on d.term_key = t.key
        join notes n on n.path = d.note_path
        where t.status = 'conflict' and (d.japanese != '' or d.glosses != '')
        group by t.key, d.japanese, d.glosses, d.note_path
        order by t.term, d.japanese, d.note_path""",
    "undefined_cases": """
        select t.term, d.note_path, n.title, n.citation, n.url, min(d.line) as line,
               t.key as term_key
        from terms t join definitions d on d.term_key = t.key
        join notes n on n.path = d.note_path
        where t.status = 'undefined'
        group by t.key, d.note_path
        order by t.term, d.note_path""",
    "glossary_gojuon": """
        select reading, japanese, term, romaji, glosses, status, notes_count, key
        from terms where reading != ''
        order by reading_key, term""",
}


def _ensure_views(db: sqlite_utils.Database) -> None:
    existing = set(db.view_names())
    for name, sql in _VIEWS.items():
        if name not in existing:
            db.create_view(name, sql.strip())



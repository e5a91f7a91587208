"""The glossary's shape: its tables, indexes and views.

The notes are the source of truth: the tables `notes`, `definitions`, `occurrences`,
`terms` and `translations` are derived from them and rebuilt by every harvest;
`pinned_definitions` and `pinned_readings` hold the user's own decisions and are never
touched by a harvest; `roots`, the notes folders the glossary is built from (with the
`--exclude` patterns recorded with them), changes only when the user names new ones.
`term_cases`, `variants`, `term_search` and `term_kanji` are kept per term by every
recount (glossary.terms.lists) for what pages and exports read. Each table is declared
once, here, and the column orders that rows are written in are read from these
declarations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import sqlite_utils

SCHEMA_VERSION = 8  # 2: definitions keep their spans, notes their structure; 3: reading_key;
# 4: problems of notes harvested anyway; 5: terms.tie, stale_terms, and a structure
# fingerprint that keeps Terminology items' definitions; 6: the lists pages read
# (term_cases, variants, term_search, term_kanji), no full-text index; 7: roots, and note
# paths always relative to their root; 8: indexes that hold what exports read by term


class Table(NamedTuple):
    columns: dict[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    clustered: bool = False  # stored in primary key order (WITHOUT ROWID), no rowid


_TO_TERMS = ("term_key", "terms", "key")
_TO_NOTES = ("note_path", "notes", "path")

TABLES: dict[str, Table] = {
    "gloss_meta": Table({"key": str, "value": str}, "key"),
    "roots": Table({"folder": str, "relative": str, "prefix": str, "excludes": str}, "folder"),
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
    # Kept per term by glossary.terms.lists for pages, conflict lists and exports.
    "term_cases": Table({
        "term_key": str, "variant": str, "note_path": str, "date": str, "line": int,
    }, ("term_key", "variant", "note_path"), (_TO_TERMS,), clustered=True),
    "variants": Table({
        "term_key": str, "variant": str, "glosses": str, "notes_count": int, "latest": str,
        "chosen": int,
    }, ("term_key", "variant"), (_TO_TERMS,)),
    "term_search": Table({"term_key": str, "kind": str, "form": str},
                         ("term_key", "kind", "form"), (_TO_TERMS,)),
    "term_kanji": Table({"kanji": str, "term_key": str}, ("kanji", "term_key"), (_TO_TERMS,)),
}


def columns_of(table: str) -> tuple[str, ...]:
    """The columns a row of `table` is written with (its id, if it has one, left to SQLite)."""
    return tuple(c for c in TABLES[table].columns if c != "id")


# Tables a harvest derives from the notes: an older database's are dropped and rebuilt by
# the next harvest (every note is read again). The user's pins are carried over.
DERIVED = {"notes", "definitions", "occurrences", "terms", "translations", "readings",
           "problems", "stale_terms", "term_cases", "variants", "term_search", "term_kanji"}
PINS = ("pinned_definitions", "pinned_readings")


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create every table, index and view the glossary needs (idempotent)."""
    tables = set(db.table_names())
    with db.atomic():
        for name, table in TABLES.items():
            if name not in tables:
                _create(db, name, table)
        create_indexes(db)
        db.execute(
            "insert or replace into gloss_meta (key, value) values ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
    _ensure_views(db)


def _create(db: sqlite_utils.Database, name: str, table: Table) -> None:
    sql = db.create_table_sql(name, table.columns, pk=table.pk,
                              foreign_keys=list(table.foreign_keys) or None)
    db.execute(sql.rstrip().rstrip(";") + (" WITHOUT ROWID" if table.clustered else ""))


# Every query gloss and the browse views run filters or joins on one of these
# (tests/db/test_indexes.py checks the plan of every statement gloss runs).
_INDEXES = [
    # A term's definitions with all an export writes of them, in note order: read by term
    # from this index alone, not row by row from a table stored note by note.
    ("definitions", ["term_key", "note_path", "line", "form", "raw", "japanese", "glosses"]),
    ("definitions", ["note_path", "line"]),  # a note's definitions, and one of them by line
    ("definitions", ["form", "term_key"]),  # the form facet, and filtering by it
    ("occurrences", ["term_key"]), ("occurrences", ["note_path"]),
    ("translations", ["japanese"]),
    ("terms", ["status", "key"]),  # the conflicts and undefined lists, in term order
    ("terms", ["status", "notes_count"]),  # the widest conflicts and undefined terms first
    ("terms", ["reading_key", "key"]),  # gojūon order (glossary.readings.collation)
    ("notes", ["collection"]), ("notes", ["date"]),
    ("notes", ["path", "date", "citation", "url"]),  # what a case list shows of its notes
    # a term's cases, newest first (with the variant: the table's key is in the index)
    ("term_cases", ["term_key", "date", "note_path"]),
    ("term_search", ["kind", "form"]),
    ("term_kanji", ["term_key"]),
]
_BULK_LOADED = {"definitions", "occurrences"}  # tables whose indexes a first harvest defers
# Partial indexes: rare values found without a scan (readings written in notes; remarks
# and pronunciations, which a term's page lists).
_PARTIAL = {
    "idx_definitions_written_reading":
        "definitions (written_reading, japanese) where written_reading != ''",
    "idx_definitions_remarks":
        "definitions (term_key) where remark != '' or pronunciation != ''",
}


def create_indexes(db: sqlite_utils.Database) -> None:
    for table, columns in _INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for name, definition in _PARTIAL.items():
        db.execute(f"create index if not exists {name} on {definition}")


@contextmanager
def bulk_load(db: sqlite_utils.Database) -> Iterator[None]:
    """Fill an empty glossary faster: build the note tables' indexes once, at the end,
    instead of row by row (inside the caller's transaction, so readers never miss them)."""
    for table, columns in _INDEXES:
        if table in _BULK_LOADED:
            db.execute(f"drop index if exists [idx_{table}_{'_'.join(columns)}]")
    for name in _PARTIAL:
        db.execute(f"drop index if exists {name}")
    try:
        yield
    finally:
        create_indexes(db)


# Each reads stored rows in the order of an index: a page of a view reads only its rows.
_VIEWS = {
    "conflicts": """
        select t.term, t.japanese as canonical, v.variant, v.glosses, v.notes_count,
               v.chosen, t.key as term_key
        from terms t join variants v on v.term_key = t.key
        where t.status = 'conflict'
        order by t.key, v.notes_count desc, v.variant""",
    "undefined": """
        select t.term, t.notes_count, t.key as term_key
        from terms t where t.status = 'undefined'
        order by t.key""",
    "undefined_cases": """
        select t.term, c.note_path, n.title, n.citation, n.url, c.line, t.key as term_key
        from terms t join term_cases c on c.term_key = t.key
        join notes n on n.path = c.note_path
        where t.status = 'undefined'
        order by t.key, c.variant, c.note_path""",
    "glossary_gojuon": """
        select reading, japanese, term, romaji, glosses, status, notes_count, key
        from terms where reading != ''
        order by reading_key, key""",
}


def _ensure_views(db: sqlite_utils.Database) -> None:
    existing = set(db.view_names())
    for name, sql in _VIEWS.items():
        if name not in existing:
            db.create_view(name, sql.strip())



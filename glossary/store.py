"""The glossary database: its shape, and writing notes and terms into it.

Everything here is plain SQL over sqlite-utils. The notes are the source of truth: the
tables `notes`, `definitions`, `occurrences`, `terms` and `translations` are derived from
them and rebuilt by every harvest; `pinned_definitions` and `pinned_readings` hold the
user's own decisions and are never touched by a harvest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import sqlite_utils

from .canonical import Choice, Tally, Vote, count_note
from .definitions import has_japanese, split_text

SCHEMA_VERSION = 2  # 2: definitions keep their spans, notes their structure


# SQLite's page cache: 2 MB by default, which makes a harvest or an apply of thousands of
# notes read the same pages from the file again and again. Bounded, so memory stays flat.
CACHE_KIB = 32 * 1024


class DatabaseError(Exception):
    """The database cannot be used as a gloss glossary (with a message that says why)."""


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) a glossary database in WAL mode, checked and brought to shape."""
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"{path}: no glossary here; run `gloss harvest` first")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = wal")
        db = sqlite_utils.Database(conn)
        version = _schema_version(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path}: not a gloss database ({error})") from None
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path}: made by a newer gloss (schema {version}); upgrade gloss or delete the file "
            "and run `gloss harvest` to rebuild it"
        )
    if version < SCHEMA_VERSION and _DERIVED & set(db.table_names()):
        _migrate(db, path, version)
    ensure_db_shape(db)
    return db


# Tables a harvest derives from the notes: an older database's are dropped and rebuilt by
# the next harvest (every note is read again). The user's pins are carried over.
_DERIVED = {"notes", "definitions", "occurrences", "terms", "translations", "readings",
            "problems"}
_PINS = {"pinned_definitions": ("term_key", "definition", "pinned_at"),
         "pinned_readings": ("japanese", "reading", "pinned_at")}


def _migrate(db: sqlite_utils.Database, path: Path, version: int) -> None:
    """Bring a database from an older gloss to this schema: keep the pins, drop the rest."""
    try:
        pins = {}
        for table, columns in _PINS.items():
            if table in db.table_names():
                have = [c for c in columns if c in db[table].columns_dict]
                pins[table] = [dict(zip(have, row, strict=True)) for row in db.execute(
                    f"select {', '.join(have)} from [{table}]")]
        with db.atomic():
            for view in db.view_names():
                db.execute(f"drop view [{view}]")
            for table in sorted(db.table_names(), key=lambda t: not t.endswith("_fts")):
                if table in _DERIVED or table in _PINS or table == "gloss_meta" or (
                        table.endswith("_fts") and table[:-4] in _DERIVED):
                    if table in db.table_names():
                        db.execute(f"drop table [{table}]")
        ensure_db_shape(db)
        with db.atomic():
            for table, rows in pins.items():
                for row in rows:
                    row.setdefault("pinned_at", "")
                    db[table].insert(row, replace=True)
    except (sqlite3.DatabaseError, KeyError, ValueError) as error:
        raise DatabaseError(
            f"{path}: made by an older gloss (schema {version}) and could not be migrated "
            f"({error}); delete the file and run `gloss harvest` to rebuild it") from None


def _schema_version(db: sqlite_utils.Database) -> int:
    if "gloss_meta" not in db.table_names():
        return 0
    row = db.execute("select value from gloss_meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create every table, index, full-text index and view the glossary needs (idempotent)."""
    tables = set(db.table_names())
    with db.atomic():
        if "gloss_meta" not in tables:
            db["gloss_meta"].create({"key": str, "value": str}, pk="key")
        if "notes" not in tables:
            db["notes"].create(
                {
                    "path": str, "title": str, "citation": str, "url": str, "doi": str,
                    "date": str, "age": str, "sex": str, "collection": str, "sha256": str,
                    "size": int, "mtime_ns": int, "definitions_count": int,
                    "occurrences_count": int, "structure": str,
                },
                pk="path",
            )
        if "terms" not in tables:
            db["terms"].create(
                {
                    "key": str, "term": str, "japanese": str, "reading": str, "romaji": str,
                    "glosses": str, "status": str, "notes_count": int, "variants_count": int,
                    "pinned": int,
                },
                pk="key",
            )
        if "definitions" not in tables:
            db["definitions"].create(
                {
                    "id": int, "term_key": str, "note_path": str, "line": int, "form": str,
                    "label": str, "raw": str, "japanese": str, "glosses": str, "remark": str,
                    "pronunciation": str, "written_reading": str, "destination": str,
                    "span_start": int, "span_end": int, "span_quote": str, "span_lead": str,
                },
                pk="id",
                foreign_keys=[("term_key", "terms", "key"), ("note_path", "notes", "path")],
            )
        if "translations" not in tables:
            db["translations"].create(
                {
                    "term_key": str, "japanese": str, "reading": str, "romaji": str,
                    "notes_count": int, "canonical": int,
                },
                pk=("term_key", "japanese"),
                foreign_keys=[("term_key", "terms", "key")],
            )
        if "occurrences" not in tables:
            db["occurrences"].create(
                {
                    "id": int, "term_key": str, "note_path": str, "line": int, "text": str,
                    "context": str,
                },
                pk="id",
                foreign_keys=[("term_key", "terms", "key"), ("note_path", "notes", "path")],
            )
        if "readings" not in tables:
            db["readings"].create(
                {"japanese": str, "reading": str, "romaji": str, "source": str,
                 "engine_version": str},
                pk="japanese",
            )
        if "pinned_definitions" not in tables:
            db["pinned_definitions"].create(
                {"term_key": str, "definition": str, "pinned_at": str}, pk="term_key"
            )
        if "pinned_readings" not in tables:
            db["pinned_readings"].create(
                {"japanese": str, "reading": str, "pinned_at": str}, pk="japanese"
            )
        if "problems" not in tables:
            db["problems"].create({"path": str, "reason": str}, pk="path")
        create_indexes(db)
        db.execute(
            "insert or replace into gloss_meta (key, value) values ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
    for table, columns in [
        ("terms", ["term", "japanese", "reading", "romaji", "glosses"]),
        ("translations", ["japanese", "reading", "romaji"]),
    ]:
        if f"{table}_fts" not in db.table_names():
            db[table].enable_fts(columns, create_triggers=True)
    _ensure_views(db)


# Every query gloss and the browse views run filters or joins on one of these.
# (tests/test_indexes.py checks each query's plan.)
_INDEXES = [
    ("definitions", ["term_key"]),
    ("definitions", ["note_path", "line"]),  # a note's definitions, and one of them by line
    ("definitions", ["form", "term_key"]),  # the form facet, and filtering by it
    ("occurrences", ["term_key"]), ("occurrences", ["note_path"]),
    ("translations", ["japanese"]), ("terms", ["status"]), ("terms", ["reading"]),
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
        order by reading, term""",
}


def _ensure_views(db: sqlite_utils.Database) -> None:
    existing = set(db.view_names())
    for name, sql in _VIEWS.items():
        if name not in existing:
            db.create_view(name, sql.strip())


# --- notes --------------------------------------------------------------------------------


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
                          ("notes", "path")]:
        db.execute(f"delete from {table} where {column} = ?", [path])


NOTE_COLUMNS = ("path", "title", "citation", "url", "doi", "date", "age", "sex", "collection",
                "sha256", "size", "mtime_ns", "definitions_count", "occurrences_count",
                "structure")
DEFINITION_COLUMNS = ("term_key", "note_path", "line", "form", "label", "raw", "japanese",
                      "glosses", "remark", "pronunciation", "written_reading", "destination",
                      "span_start", "span_end", "span_quote", "span_lead")
OCCURRENCE_COLUMNS = ("term_key", "note_path", "line", "text", "context")


def write_note(db: sqlite_utils.Database, note: Sequence, definitions: list[Sequence],
               occurrences: list[Sequence], *, replace: bool = True) -> None:
    """Replace everything the glossary holds about one note (`replace=False`: a new note).

    Rows are tuples in the order of NOTE_COLUMNS, DEFINITION_COLUMNS and OCCURRENCE_COLUMNS.
    """
    if replace:
        remove_note(db, note[0])
    _insert_rows(db, "notes", NOTE_COLUMNS, [note])
    _insert_rows(db, "definitions", DEFINITION_COLUMNS, definitions)
    _insert_rows(db, "occurrences", OCCURRENCE_COLUMNS, occurrences)


def touch_note(db: sqlite_utils.Database, path: str, size: int, mtime_ns: int) -> None:
    db.execute("update notes set size = ?, mtime_ns = ? where path = ?", [size, mtime_ns, path])


def _insert_rows(db: sqlite_utils.Database, table: str, columns: Sequence[str],
                 rows: list[Sequence]) -> None:
    if rows:
        db.conn.executemany(
            f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"values ({', '.join('?' for _ in columns)})", rows)


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    if rows:
        columns = list(rows[0])
        _insert_rows(db, table, columns, [[row[c] for c in columns] for row in rows])


def notes_needing_rewrite(db: sqlite_utils.Database) -> set[str]:
    """Notes holding a definition whose text differs from its term's canonical text."""
    # Note by note, stopping at the first such definition: when most notes need rewriting
    # this reads a few definitions of each instead of all of them (0.6 s against 2.3 s at
    # 100,000 notes), and when none do it reads what a scan of every definition reads.
    rows = db.execute(
        """select n.path from notes n where exists (
             select 1 from definitions d join terms t on t.key = d.term_key
             where d.note_path = n.path
               and t.status != 'undefined' and (t.japanese != '' or t.glosses != '')
               and case when d.japanese != '' then d.japanese else d.glosses end
                != case when t.japanese != '' then t.japanese else t.glosses end)""")
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


def set_problems(db: sqlite_utils.Database, problems: dict[str, str]) -> None:
    db.execute("delete from problems")
    _insert(db, "problems", [{"path": p, "reason": r} for p, r in sorted(problems.items())])


# --- terms --------------------------------------------------------------------------------


def tallies(db: sqlite_utils.Database, keys: Iterable[str]) -> dict[str, Tally]:
    """Every one of these terms' definitions, counted note by note (terms with none left
    are absent)."""
    keys = set(keys)
    db.execute("create temp table if not exists refresh_keys (key text primary key)")
    db.execute("delete from temp.refresh_keys")
    db.conn.executemany("insert into temp.refresh_keys values (?)", [(key,) for key in keys])
    # A few terms: find their definitions by key. Most of them (after a big apply): read
    # every definition in note order, which needs no sort and no lookup row by row.
    terms = db.execute("select count(*) from terms").fetchone()[0]
    by_key = "" if len(keys) * 4 < terms else "+"
    rows = db.execute(
        f"""select d.note_path, d.term_key, d.label, d.japanese, d.glosses, d.line
            from definitions d where {by_key}d.term_key in (select key from temp.refresh_keys)
            order by d.note_path""")
    dates = dict(db.execute("select path, coalesce(date, '') from notes").fetchall())
    counted: dict[str, Tally] = {}
    for path, note_rows in groupby(rows, key=itemgetter(0)):
        date = dates.get(path, "")
        count_note(counted, ((key, Vote.of(path, date, label, japanese, glosses, line))
                             for _, key, label, japanese, glosses, line in note_rows))
    return counted


def refresh_terms(db: sqlite_utils.Database, keys: Iterable[str],
                  read: Callable[[set[str]], dict[str, tuple[str, str]]]) -> None:
    """Recompute the `terms` and `translations` rows of these keys from their definitions.

    `read` gives (hiragana, romaji) for every Japanese alternative it is asked about.
    """
    keys = set(keys)
    write_terms(db, keys, tallies(db, keys), read)


def write_terms(db: sqlite_utils.Database, keys: Iterable[str], counted: dict[str, Tally],
                read: Callable[[set[str]], dict[str, tuple[str, str]]]) -> None:
    """Replace the `terms` and `translations` rows of these keys with what their tallies
    choose (a key without a tally has no definitions left, and no rows)."""
    keys = sorted(set(keys))
    pins = dict(db.execute("select term_key, definition from pinned_definitions").fetchall())
    choices = {key: counted[key].choose(pins.get(key)) for key in keys if key in counted}
    readings = read({japanese for choice in choices.values() for japanese in choice.japanese})
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        db.execute(f"delete from translations where term_key in ({marks})", chunk)
        db.execute(f"delete from terms where key in ({marks})", chunk)
    _insert(db, "terms", [_term_row(key, choice, readings) for key, choice in choices.items()])
    _insert(db, "translations", [row for key, choice in choices.items()
                                 for row in _translation_rows(key, choice, readings)])


def _term_row(key: str, choice: Choice, readings: dict[str, tuple[str, str]]) -> dict:
    japanese = choice.variant if has_japanese(choice.variant) else ""
    alternatives = list(split_text(japanese).japanese) if japanese else []
    return {
        "key": key,
        "term": choice.term,
        "japanese": japanese,
        "reading": ", ".join(readings.get(j, ("", ""))[0] for j in alternatives),
        "romaji": ", ".join(readings.get(j, ("", ""))[1] for j in alternatives),
        "glosses": choice.glosses,
        "status": choice.status,
        "notes_count": choice.notes_count,
        "variants_count": choice.variants_count,
        "pinned": int(choice.status == "pinned"),
    }


def _translation_rows(key: str, choice: Choice,
                      readings: dict[str, tuple[str, str]]) -> list[dict]:
    canonical = set(split_text(choice.variant).japanese)
    return [
        {
            "term_key": key,
            "japanese": japanese,
            "reading": readings.get(japanese, ("", ""))[0],
            "romaji": readings.get(japanese, ("", ""))[1],
            "notes_count": count,
            "canonical": int(japanese in canonical),
        }
        for japanese, count in choice.japanese.items()
    ]



"""Opening a glossary: checked, brought to this gloss's shape, older ones migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from glossary.errors import GlossError
from glossary.notes.text import definition_text

from .schema import DERIVED, PINS, SCHEMA_VERSION, TABLES, ensure_db_shape

# SQLite's page cache: 2 MB by default, which makes a harvest or an apply of thousands of
# notes read the same pages from the file again and again. Bounded, so memory stays flat.
CACHE_KIB = 32 * 1024


class DatabaseError(GlossError):
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
        conn.create_function("definition_text", 2, definition_text, deterministic=True)
        # sqlite-utils plugins add SQL functions gloss never calls, and finding them scans
        # every installed package (20 ms of every command).
        db = sqlite_utils.Database(conn, execute_plugins=False)
        version = _schema_version(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path}: not a gloss database ({error})") from None
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path}: made by a newer gloss (schema {version}); upgrade gloss or delete the file "
            "and run `gloss harvest` to rebuild it"
        )
    if version < SCHEMA_VERSION and DERIVED & set(db.table_names()):
        _migrate(db, path, version)
    ensure_db_shape(db)
    return db


def _migrate(db: sqlite_utils.Database, path: Path, version: int) -> None:
    """Bring a database from an older gloss to this schema: keep the pins, drop the rest."""
    try:
        pins = {}
        for table in PINS:
            columns = TABLES[table].columns
            if table in db.table_names():
                have = [c for c in columns if c in db[table].columns_dict]
                pins[table] = [dict(zip(have, row, strict=True)) for row in db.execute(
                    f"select {', '.join(have)} from [{table}]")]
        with db.atomic():
            for view in db.view_names():
                db.execute(f"drop view [{view}]")
            for table in sorted(db.table_names(), key=lambda t: not t.endswith("_fts")):
                if table in DERIVED or table in PINS or table == "gloss_meta" or (
                        table.endswith("_fts") and table[:-4] in DERIVED):
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

"""Opening a glossary: checked, brought to this gloss's shape, older ones migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from glossary.errors import GlossError, NoSpace, SystemRefused
from glossary.notes.text import definition_text

from .failures import DatabaseError, explain, not_writable_because
from .schema import DERIVED, PINS, SCHEMA_VERSION, TABLES, ensure_db_shape

# SQLite's page cache: 2 MB by default, which makes a harvest or an apply of thousands of
# notes read the same pages from the file again and again. Bounded, so memory stays flat.
CACHE_KIB = 32 * 1024


def open_db(path: str | Path, *, create: bool = True, readonly: bool = False,
            harvested: bool = True) -> sqlite_utils.Database:
    """Open (or create) a glossary database in WAL mode, checked and brought to shape.

    `readonly`: for a command that only reads. A glossary from an older gloss is brought
    to this schema only with `create` (a harvest); other commands refuse it. On a place
    gloss cannot write (a read-only mount, a folder without permission) or a full disk,
    the glossary is opened read-only, as it is."""
    path = Path(path)
    if (not create or readonly) and not path.exists():
        raise DatabaseError(f"{path}: no glossary here; run `gloss harvest` first")
    if not readonly:
        return _open(path, create=create, reading=False)
    if not_writable_because(path) is not None:
        db = _open_read_only(path)
    else:
        try:
            db = _open(path, create=False, reading=True)
        except NoSpace:  # SQLite has no room for its log files: read the file as it is
            db = _open_read_only(path)
    return _harvested(db, path) if harvested else db


def _harvested(db: sqlite_utils.Database, path: Path) -> sqlite_utils.Database:
    """`db`, once a harvest has committed into it (every harvest records its notes roots
    in its transaction): a glossary whose first harvest was killed is empty, and a reader
    must not present it as a glossary with nothing to say."""
    if db.execute("select 1 from roots limit 1").fetchone() is None:
        db.conn.close()
        raise DatabaseError(f"{path}: no harvest has finished into this glossary yet; run "
                            "`gloss harvest` first")
    return db


def _open(path: Path, *, create: bool, reading: bool) -> sqlite_utils.Database:
    """The glossary opened read-write; `reading`: changed only if it is outdated."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db = _database(conn)
        _check_ours(db, path)  # before anything is written into it
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and not reading:
            conn.execute("PRAGMA journal_mode = wal")
        version = _schema_version(db)
        _check_not_newer(path, version)
        if version < SCHEMA_VERSION and DERIVED & set(db.table_names()):
            if not create:  # only a harvest, which reads every note again, migrates
                conn.close()
                raise _outdated(path, version)
            _migrate(db, path, version)
        if version < SCHEMA_VERSION or not reading:
            ensure_db_shape(db)
    except (sqlite3.Error, OSError) as error:
        raise _explained(error, path) from None
    return db


def read_mode(path: str | Path) -> str:
    """How a reader opens the glossary at `path`: "rw" where gloss can write, else "ro"
    (SQLite's read-only mode, which needs the write-ahead log's index, `-shm`, beside a
    log) or "immutable" (no log to read: nothing can change the file there)."""
    path = Path(path)
    if not_writable_because(path) is None:
        return "rw"
    return _reader_mode(path)


def _reader_mode(path: Path) -> str:
    return "ro" if _read_only_modes(path)[0] == "mode=ro" else "immutable"


def _read_only_modes(path: Path) -> list[str]:
    """The ways SQLite may open the glossary read-only, best first: read-only mode reads a
    write-ahead log through its index (`-shm`); with no log to read, the file alone is the
    glossary (immutable). None: a log without its index, which nothing here can read."""
    log = _beside(path, "-wal")
    unlogged = not (log.exists() and log.stat().st_size)
    modes = (["mode=ro"] if _beside(path, "-shm").exists() else []) + (
        ["immutable=1"] if unlogged else [])
    if not modes:
        raise SystemRefused(
            f"{path}: its write-ahead log {log.name} cannot be read without {path.name}-shm "
            "here; copy the glossary with both files, or open it where it can be written")
    return modes


def _open_read_only(path: Path) -> sqlite_utils.Database:
    """The glossary opened read-only, as it is: nothing created or changed beside it."""
    modes = _read_only_modes(path)
    failure: sqlite3.Error | None = None
    for mode in modes:
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=30,
                                   isolation_level=None)
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            db = _database(conn)
            _check_ours(db, path)
            version = _schema_version(db)
            break
        except sqlite3.Error as error:  # such as no room for the log's index: try the next
            failure = error
    else:
        assert failure is not None
        raise _explained(failure, path) from None
    _check_not_newer(path, version)
    if version < SCHEMA_VERSION:
        raise _outdated(path, version, " where gloss can write it")
    return db


def _outdated(path: Path, version: int, where: str = "") -> DatabaseError:
    """An older gloss's glossary: a migration drops all but the pins, so only a harvest,
    which reads every note again, brings it up to date; anything else would show it empty."""
    return DatabaseError(f"{path}: made by an older gloss (schema {version}); run "
                         f"`gloss harvest`{where} to bring it up to date (pins are kept)")


def _database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    conn.create_function("definition_text", 2, definition_text, deterministic=True)
    # sqlite-utils plugins add SQL functions gloss never calls, and finding them scans
    # every installed package (20 ms of every command).
    return sqlite_utils.Database(conn, execute_plugins=False)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _explained(error: sqlite3.Error | OSError, path: Path) -> GlossError:
    return explain(error, path) or DatabaseError(f"{path}: not a gloss database ({error})")


def _check_not_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path}: made by a newer gloss (schema {version}); upgrade gloss or delete the file "
            "and run `gloss harvest` to rebuild it"
        )


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


def _check_ours(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse another program's SQLite database: every glossary gloss ever made has its
    `gloss_meta` table, made with its first tables, and a migration would drop theirs."""
    names = [name for (name,) in db.execute(
        "select name from sqlite_master where type in ('table', 'view') "
        "and name not like 'sqlite_%' order by name")]
    if names and "gloss_meta" not in names:
        db.conn.close()
        shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        raise DatabaseError(f"{path}: not a gloss database (it holds another program's "
                            f"tables: {shown}); gloss leaves it as it is")


def _schema_version(db: sqlite_utils.Database) -> int:
    if "gloss_meta" not in db.table_names():
        return 0
    row = db.execute("select value from gloss_meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0

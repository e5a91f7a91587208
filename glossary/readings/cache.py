"""Readings for the glossary's Japanese, computed once per string and kept in the database.

Priority: a reading the user pinned (`gloss reading`), then one a note writes
(`右胸心（うきょうしん）`), then the engine's, cached in `readings` under the engine's
version so that a harvest whose Japanese has not changed never starts the analyzers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

import sqlite_utils

from .romaji import to_romaji

if TYPE_CHECKING:
    from .engine import Reading


class Engine(Protocol):
    ENGINE_VERSION: str

    def read(self, japanese: str) -> Reading: ...


def default_engine() -> Engine:
    from .engine import ReadingEngine  # only when a string has no cached reading

    return ReadingEngine()


def engine_version() -> str:
    """The key cached readings are kept under: the engine's version and the rules switched
    off by GLOSS_READING_RULES_OFF (readings made with other rules are not reused)."""
    from .engine import ReadingEngine, rules_off_from_env

    off = sorted(rules_off_from_env())
    return ReadingEngine.ENGINE_VERSION + (f"-without-{'+'.join(off)}" if off else "")


def written_readings(db: sqlite_utils.Database) -> dict[str, str]:
    """Readings the notes write after their Japanese, the most common one per string."""
    votes: dict[str, Counter[str]] = {}
    rows = db.execute(
        "select japanese, written_reading from definitions where written_reading != ''"
    )
    for japanese, written in rows:
        for alternative, reading in zip(japanese.split(", "), written.split(", "), strict=False):
            if reading:
                votes.setdefault(alternative, Counter())[reading] += 1
    return {japanese: counts.most_common(1)[0][0] for japanese, counts in votes.items()}


def resolve(
    db: sqlite_utils.Database,
    strings: Iterable[str],
    engine_factory: Callable[[], Engine] = default_engine,
) -> dict[str, tuple[str, str]]:
    """Reading and romaji of every string, computing (and caching) only what is missing."""
    strings = sorted({s for s in strings if s})
    pinned = dict(db.execute("select japanese, reading from pinned_readings").fetchall())
    written = written_readings(db)
    cached = _cached(db, strings)
    missing = [s for s in strings if s not in cached and s not in pinned and s not in written]
    if missing:
        cached.update(_compute(db, missing, engine_factory()))
    result = {}
    for japanese in strings:
        override = pinned.get(japanese) or written.get(japanese)
        result[japanese] = (override, to_romaji(override)) if override else cached[japanese]
    return result


class Prefetch:
    """Compute the engine's readings of new Japanese while a harvest is still reading notes,
    so that `resolve` at the end finds them cached. Each string is read at most once."""

    BATCH = 512

    def __init__(self, db: sqlite_utils.Database, engine_factory: Callable[[], Engine]):
        self.db, self.engine_factory = db, engine_factory
        self.engine: Engine | None = None
        self.seen: set[str] = set()
        self.pending: list[str] = []

    def add(self, strings: Iterable[str]) -> None:
        for japanese in strings:
            if japanese and japanese not in self.seen:
                self.seen.add(japanese)
                self.pending.append(japanese)
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        cached = _cached(self.db, self.pending)
        missing = [s for s in self.pending if s not in cached]
        self.pending = []
        if missing:
            self.engine = self.engine or self.engine_factory()
            _compute(self.db, missing, self.engine)

    def factory(self) -> Callable[[], Engine]:
        """An engine factory that reuses the engine already started, if any."""
        return lambda: self.engine or self.engine_factory()


def _cached(db: sqlite_utils.Database, strings: list[str]) -> dict[str, tuple[str, str]]:
    version = engine_version()
    cached = {}
    for start in range(0, len(strings), 500):
        chunk = strings[start : start + 500]
        cached.update(
            (row[0], (row[1], row[2]))
            for row in db.execute(
                f"select japanese, reading, romaji from readings where engine_version = ? "
                f"and japanese in ({', '.join('?' for _ in chunk)})",
                [version, *chunk],
            )
        )
    return cached


def _compute(db: sqlite_utils.Database, strings: list[str],
             engine: Engine) -> dict[str, tuple[str, str]]:
    version = engine_version()
    computed, rows = {}, []
    for japanese in strings:
        reading = engine.read(japanese)
        computed[japanese] = (reading.hiragana, reading.romaji)
        rows.append((japanese, reading.hiragana, reading.romaji, reading.source, version))
    db.conn.executemany(
        "insert or replace into readings (japanese, reading, romaji, source, engine_version) "
        "values (?, ?, ?, ?, ?)",
        rows,
    )
    return computed


def pin_reading(db: sqlite_utils.Database, japanese: str, reading: str | None) -> None:
    """Pin (or with None, unpin) the reading of a Japanese string."""
    if reading is None:
        db.execute("delete from pinned_readings where japanese = ?", [japanese])
    else:
        db.execute(
            "insert or replace into pinned_readings (japanese, reading, pinned_at) "
            "values (?, ?, ?)",
            [japanese, reading, datetime.now(UTC).isoformat(timespec="seconds")],
        )

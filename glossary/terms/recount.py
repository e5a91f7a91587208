"""Recounting terms: each term's tally of definitions, its choice, and its rows.

The glossary's own job, below both harvest and apply: after notes change, the terms they
define are counted again from the definitions the glossary holds (or, in a first harvest,
from tallies kept while the notes streamed by), and their `terms` and `translations` rows
rewritten with the readings of their Japanese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby
from operator import itemgetter

import sqlite_utils

from glossary.db.rows import DEFINITION_COLUMNS, NOTE_COLUMNS, NoteRows, insert_dicts
from glossary.notes import has_japanese, split_text
from glossary.readings.cache import Engine, default_engine, resolve
from glossary.readings.collation import gojuon_key

from . import lists
from .choice import Choice, Tally, Vote, count_note

Read = Callable[[set[str]], dict[str, tuple[str, str]]]

_KEY, _LINE, _LABEL, _JAPANESE, _GLOSSES = (
    DEFINITION_COLUMNS.index(name)
    for name in ("term_key", "line", "label", "japanese", "glosses"))
_DATE = NOTE_COLUMNS.index("date")

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


def recount(db: sqlite_utils.Database, keys: Iterable[str],
            engine_factory: Callable[[], Engine] = default_engine) -> None:
    """Recompute the `terms` and `translations` rows of these keys from the definitions
    the glossary holds, with the readings of their Japanese."""
    keys = set(keys)
    write_terms(db, keys, tallies(db, keys), reader(db, engine_factory))


def reader(db: sqlite_utils.Database, engine_factory: Callable[[], Engine]) -> Read:
    """(hiragana, romaji) of every Japanese string asked about: pins, then what the notes
    write, then the engine's (cached)."""
    return lambda japanese: resolve(db, japanese, engine_factory)


def count_rows(counted: dict[str, Tally], rows: NoteRows) -> None:
    """Add one note's definitions, as harvest parsed them, to the tallies of their terms."""
    path, date = rows.path, rows.note[_DATE] or ""
    count_note(counted, ((row[_KEY], Vote.of(path, date, row[_LABEL], row[_JAPANESE],
                                             row[_GLOSSES], row[_LINE]))
                         for row in rows.definitions))


def write_terms(db: sqlite_utils.Database, keys: Iterable[str], counted: dict[str, Tally],
                read: Read) -> None:
    """Replace the `terms` and `translations` rows of these keys, and what pages read of
    them (glossary.terms.lists), with what their tallies choose (a key without a tally has
    no definitions left, and no rows)."""
    keys = sorted(set(keys))
    pins = dict(db.execute("select term_key, definition from pinned_definitions").fetchall())
    choices = {key: counted[key].choose(pins.get(key)) for key in keys if key in counted}
    readings = read({japanese for choice in choices.values() for japanese in choice.japanese})
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        db.execute(f"delete from translations where term_key in ({marks})", chunk)
        db.execute(f"delete from terms where key in ({marks})", chunk)
    terms = [_term_row(key, choice, readings) for key, choice in choices.items()]
    translations = [row for key, choice in choices.items()
                    for row in _translation_rows(key, choice, readings)]
    insert_dicts(db, "terms", terms)
    insert_dicts(db, "translations", translations)
    lists.rewrite(db, keys, counted, choices, terms, translations)


def _term_row(key: str, choice: Choice, readings: dict[str, tuple[str, str]]) -> dict:
    japanese = choice.variant if has_japanese(choice.variant) else ""
    alternatives = list(split_text(japanese).japanese) if japanese else []
    reading = ", ".join(readings.get(j, ("", ""))[0] for j in alternatives)
    return {
        "key": key,
        "term": choice.term,
        "japanese": japanese,
        "reading": reading,
        "romaji": ", ".join(readings.get(j, ("", ""))[1] for j in alternatives),
        "glosses": choice.glosses,
        "status": choice.status,
        "notes_count": choice.notes_count,
        "variants_count": choice.variants_count,
        "pinned": int(choice.status == "pinned"),
        "reading_key": gojuon_key(reading),
        "tie": int(choice.tie),
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


def mark_stale(db: sqlite_utils.Database, keys: Iterable[str]) -> None:
    """Note that these terms' rows must be counted again (apply writes notes batch by batch
    and recounts once at the end: a run killed before then leaves them to the next)."""
    db.conn.executemany("insert or ignore into stale_terms (key) values (?)",
                        [(key,) for key in keys])


def take_stale(db: sqlite_utils.Database) -> set[str]:
    """The terms marked stale, unmarked (the caller recounts them in the same transaction)."""
    keys = {row[0] for row in db.execute("select key from stale_terms")}
    if keys:
        db.execute("delete from stale_terms")
    return keys

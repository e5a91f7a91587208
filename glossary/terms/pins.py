"""The user's decisions: pinned definitions and pinned readings.

Pins live in tables of their own (`pinned_definitions`, `pinned_readings`) that no harvest
touches; pinning refreshes the affected terms at once so the glossary shows the decision.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from glossary.errors import GlossError
from glossary.notes import normalize_label, split_text
from glossary.readings import cache as reading_cache
from glossary.readings.romaji import as_reading

from .recount import recount


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def pin_definition(db: sqlite_utils.Database, term: str, definition: str) -> str:
    """Pin the canonical definition of a term (even one no note gives yet); returns the key."""
    key = normalize_label(term)
    meaning = split_text(definition)
    if not meaning.defined:
        raise ValueError(f"{definition!r} has no Japanese and no gloss; nothing to pin")
    with db.atomic():
        db.execute(
            "insert or replace into pinned_definitions (term_key, definition, pinned_at) "
            "values (?, ?, ?)",
            [key, meaning.variant, _now()],
        )
        recount(db, {key})
    return key


def unpin_definition(db: sqlite_utils.Database, term: str) -> bool:
    """Remove a term's pin; True when there was one."""
    key = normalize_label(term)
    with db.atomic():
        removed = db.execute(
            "delete from pinned_definitions where term_key = ?", [key]
        ).rowcount
        recount(db, {key})
    return bool(removed)


class NotAReading(GlossError):
    """A reading to pin that is not kana."""


def pin_reading(db: sqlite_utils.Database, japanese: str, reading: str | None) -> str | None:
    """Pin (or with None, unpin) a reading and refresh every term whose Japanese holds it.

    The reading must be kana (katakana is turned into hiragana; see as_reading); returns
    the reading pinned. Anything else raises NotAReading."""
    if reading is not None:
        kana = as_reading(reading)
        if kana is None:
            raise NotAReading(
                f"{reading!r} is not a reading of {japanese}: give it in hiragana or katakana"
            )
        reading = kana
    with db.atomic():
        reading_cache.pin_reading(db, japanese, reading)
        keys = {
            row[0]
            for row in db.execute(
                "select term_key from translations where japanese = ?", [japanese]
            )
        }
        if keys:
            recount(db, keys)
    return reading

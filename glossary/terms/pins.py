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
from .story import UnknownTerm, unknown


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def pin_definition(db: sqlite_utils.Database, term: str, definition: str, *,
                   new: bool = False) -> str:
    """Pin the canonical definition of a term; returns the key. A term the glossary does
    not know (no note defines it, none pinned it) is refused with the closest known terms
    (UnknownTerm), unless `new` says it is meant as a new term."""
    key = normalize_label(term)
    if not new and not _known(db, key):
        raise UnknownTerm(f"{unknown(db, term)} (--new pins it as a new term)")
    meaning = split_text(definition)
    if not meaning.defined:
        raise GlossError(f"{definition!r} has no Japanese and no gloss; nothing to pin")
    with db.atomic():
        db.execute(
            "insert or replace into pinned_definitions (term_key, definition, pinned_at) "
            "values (?, ?, ?)",
            [key, meaning.variant, _now()],
        )
        recount(db, {key})
    return key


def pinned_alone(db: sqlite_utils.Database, term: str) -> str | None:
    """The definition pinned for a term no note has defined or used yet (`prefer --new`)."""
    row = db.execute("select definition from pinned_definitions where term_key = ? and "
                     "not exists (select 1 from terms where key = term_key)",
                     [normalize_label(term)]).fetchone()
    return row[0] if row else None


def pinned_line(term: str, definition: str) -> str:
    """What a pin of `definition` says it kept: `flank: pinned to 側腹部`, and the parts it
    did not keep, since a definition's text is its Japanese alone where it has any
    (glossary.notes.text.definition_text): its glosses, remark and pronunciation go."""
    meaning = split_text(definition)
    dropped = [*meaning.glosses, *filter(None, (meaning.remark, meaning.pronunciation))]
    left = (f" ({', '.join(dropped)}: not kept; a pin is the Japanese alone)"
            if meaning.japanese and dropped else "")
    return f"{term}: pinned to {meaning.variant}{left}"


def _known(db: sqlite_utils.Database, key: str) -> bool:
    return db.execute("select exists (select 1 from terms where key = ?) "
                      "or exists (select 1 from pinned_definitions where term_key = ?)",
                      [key, key]).fetchone()[0] == 1


def unpin_definition(db: sqlite_utils.Database, term: str) -> bool:
    """Remove a term's pin; True when there was one (unpinning what is not pinned changes
    nothing)."""
    key = normalize_label(term)
    with db.atomic():
        removed = db.execute(
            "delete from pinned_definitions where term_key = ?", [key]
        ).rowcount
        recount(db, {key})
    return bool(removed)


def unpin_reading(db: sqlite_utils.Database, japanese: str) -> bool:
    """Remove the pinned reading of a Japanese string; True when there was one (unpinning
    what is not pinned changes nothing)."""
    pinned = db.execute("select 1 from pinned_readings where japanese = ?",
                        [japanese]).fetchone()
    if pinned:
        pin_reading(db, japanese, None)
    return pinned is not None


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

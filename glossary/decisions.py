"""The user's decisions and what they decide between: pins, conflicts, one term's story.

Pins live in tables of their own (`pinned_definitions`, `pinned_readings`) that no harvest
touches; pinning refreshes the affected terms at once so the glossary shows the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

from . import reading_cache
from .definitions import normalize_label, split_text
from .harvest import refresh


class UnknownTerm(Exception):
    """A term the glossary has never seen."""


@dataclass
class Variant:
    text: str
    notes: list[str]


@dataclass
class TermStory:
    """Everything the glossary knows of one term."""

    key: str
    term: str
    japanese: str
    reading: str
    romaji: str
    glosses: str
    status: str
    variants: list[Variant] = field(default_factory=list)
    undefined_in: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, int, str]] = field(default_factory=list)  # note, line, context


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
        refresh(db, {key})
    return key


def unpin_definition(db: sqlite_utils.Database, term: str) -> bool:
    """Remove a term's pin; True when there was one."""
    key = normalize_label(term)
    with db.atomic():
        removed = db.execute(
            "delete from pinned_definitions where term_key = ?", [key]
        ).rowcount
        refresh(db, {key})
    return bool(removed)


def pin_reading(db: sqlite_utils.Database, japanese: str, reading: str | None) -> None:
    """Pin (or with None, unpin) a reading and refresh every term whose Japanese holds it."""
    with db.atomic():
        reading_cache.pin_reading(db, japanese, reading)
        keys = {
            row[0]
            for row in db.execute(
                "select term_key from translations where japanese = ?", [japanese]
            )
        }
        if keys:
            refresh(db, keys)


def conflicts(db: sqlite_utils.Database) -> list[TermStory]:
    """Every term whose notes disagree, with each variant and the notes giving it."""
    keys = [row[0] for row in db.execute(
        "select key from terms where status = 'conflict' order by term collate nocase")]
    return [story(db, key) for key in keys]


def story(db: sqlite_utils.Database, term: str) -> TermStory:
    """The term, its canonical definition with readings, its variants and its uses."""
    key = normalize_label(term)
    row = db.execute(
        "select key, term, japanese, reading, romaji, glosses, status from terms where key = ?",
        [key],
    ).fetchone()
    if row is None:
        raise UnknownTerm(f"{term}: no such term in the glossary")
    told = TermStory(*row)
    by_variant: dict[str, list[str]] = {}
    for japanese, glosses, note_path in db.execute(
        "select japanese, glosses, note_path from definitions where term_key = ? "
        "order by note_path, line", [key]
    ):
        variant = japanese or glosses
        notes = told.undefined_in if not variant else by_variant.setdefault(variant, [])
        if note_path not in notes:
            notes.append(note_path)
    told.variants = sorted(
        (Variant(text, notes) for text, notes in by_variant.items()),
        key=lambda v: -len(v.notes),
    )
    told.occurrences = [
        tuple(r) for r in db.execute(
            "select note_path, line, context from occurrences where term_key = ? "
            "order by note_path, line", [key]
        )
    ]
    return told

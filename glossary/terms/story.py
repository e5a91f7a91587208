"""What the glossary knows of a term, told: its definition, variants and uses; the
conflicts the user has to decide."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from glossary.errors import GlossError
from glossary.notes import definition_text, normalize_label


class UnknownTerm(GlossError):
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
    tie: bool = False  # a conflict no variant wins by notes (see glossary.terms.choice)
    variants: list[Variant] = field(default_factory=list)
    undefined_in: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, int, str]] = field(default_factory=list)  # note, line, context


def conflicts(db: sqlite_utils.Database, *, uses: bool = True) -> list[TermStory]:
    """Every term whose notes disagree, with each variant and the notes giving it (and,
    with `uses`, every use of the term)."""
    keys = [row[0] for row in db.execute(
        "select key from terms where status = 'conflict' order by term collate nocase")]
    return [story(db, key, uses=uses) for key in keys]


def story(db: sqlite_utils.Database, term: str, *, uses: bool = True) -> TermStory:
    """The term, its canonical definition with readings, its variants and (with `uses`)
    its uses."""
    key = normalize_label(term)
    row = db.execute(
        "select key, term, japanese, reading, romaji, glosses, status, tie = 1 from terms "
        "where key = ?",
        [key],
    ).fetchone()
    if row is None:
        raise UnknownTerm(f"{term}: no such term in the glossary")
    told = TermStory(*row[:7], tie=bool(row[7]))
    by_variant: dict[str, list[str]] = {}
    for japanese, glosses, note_path in db.execute(
        "select japanese, glosses, note_path from definitions where term_key = ? "
        "order by note_path, line", [key]
    ):
        variant = definition_text(japanese, glosses)
        notes = told.undefined_in if not variant else by_variant.setdefault(variant, [])
        if note_path not in notes:
            notes.append(note_path)
    told.variants = sorted(
        (Variant(text, notes) for text, notes in by_variant.items()),
        key=lambda v: -len(v.notes),
    )
    if not uses:
        return told
    told.occurrences = [
        tuple(r) for r in db.execute(
            "select note_path, line, context from occurrences where term_key = ? "
            "order by note_path, line", [key]
        )
    ]
    return told

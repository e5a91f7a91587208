"""The conflicts the user is asked to decide, as questions: each variant with the notes
that give it and the sentence each note uses the term in, and what the most recent note
and the majority would say. `gloss resolve` asks them; pins record the answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlite_utils

from glossary.errors import GlossError
from glossary.notes import normalize_label
from glossary.notes.uses import excerpt

from .recount import tallies
from .story import conflicts, sentence_in, story


class NotInConflict(GlossError):
    """A term named for resolving that the notes do not disagree about."""


SHOWN = 160  # characters of a sentence shown, around the term


@dataclass(frozen=True)
class Option:
    """One variant: its text and, for each note giving it, the sentence using the term
    (cut around the term where long)."""

    text: str
    notes: list[tuple[str, str]]  # (note path, sentence or "")


@dataclass
class Question:
    key: str
    term: str
    tie: bool
    options: list[Option] = field(default_factory=list)  # most notes first
    newest: str | None = None  # the variant of the most recent note
    majority: str | None = None  # the variant more notes give than every other, if any


def questions(db: sqlite_utils.Database, terms: Sequence[str] = (), *,
              all_conflicts: bool = False) -> list[Question]:
    """The undecided ties (with `all_conflicts`, every conflict), or the named terms, in
    the order of `gloss conflicts`."""
    if terms:
        told = [story(db, term) for term in terms]
        for one in told:
            if one.status != "conflict":
                raise NotInConflict(f"{one.term}: not in conflict ({one.status}); nothing "
                                    "to resolve")
    else:
        told = [one for one in conflicts(db) if all_conflicts or one.tie]
    counted = tallies(db, {one.key for one in told})
    asked = []
    for one in told:
        options = [Option(v.text, [(note, excerpt(*sentence_in(db, one.key, note), SHOWN))
                                   for note in v.notes]) for v in one.variants]
        tally = counted.get(normalize_label(one.key))
        asked.append(Question(one.key, one.term, one.tie, options,
                              tally.newest() if tally else None,
                              tally.majority() if tally else None))
    return asked

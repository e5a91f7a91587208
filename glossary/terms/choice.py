"""Choosing one definition of a term from what the notes say.

Pure: a term's definitions (which note, how recent, what it says) are counted note by note
into a `Tally`; the tally and the user's pin, if any, decide the canonical definition and
the term's status. A tally holds counts, not notes, so a harvest can keep one per term
while it streams through any number of notes.

The rule, in one place: a pin wins outright; else the variant more notes give than every
other wins (a majority); when no variant does, the conflict is a *tie*, which only the
user decides (`gloss resolve`, `gloss prefer`). A tie's definition is still the most recent
note's, for what shows it and for `gloss apply --ties newest`, but it is marked a tie and
apply leaves the term's definitions as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from glossary.notes.text import definition_text, split_text


class Vote(NamedTuple):
    """One note's definition of a term, reduced to what decides the choice."""

    note_path: str
    note_date: str  # "" when unknown
    label: str
    variant: str  # "" when the definition is empty
    glosses: str
    line: int

    @classmethod
    def of(cls, note_path: str, note_date: str, label: str, japanese: str, glosses: str,
           line: int) -> Vote:
        """A definition's vote: for its text (glossary.notes.text.definition_text)."""
        return cls(note_path, note_date, label, definition_text(japanese, glosses), glosses,
                   line)


@dataclass(frozen=True)
class Choice:
    term: str
    variant: str  # the canonical definition text, "" when undefined
    glosses: str
    status: str  # "ok", "conflict", "undefined" or "pinned"
    notes_count: int
    variants_count: int
    japanese: dict[str, int]  # every Japanese alternative (canonical included) -> its notes
    tie: bool = False  # a conflict no variant wins by notes, and no pin decides


@dataclass
class _Variant:
    notes: int = 0
    latest: tuple[str, str, int] = ("", "", 0)
    glossed_at: tuple[str, int] | None = None  # the first vote, by note and line, with glosses
    glosses: str = ""


@dataclass
class Tally:
    """Everything choosing needs to know about a term's definitions, counted note by note."""

    notes: int = 0
    variants: dict[str, _Variant] = field(default_factory=dict)
    labels: dict[str, list] = field(default_factory=dict)  # label -> [votes, latest recency]
    japanese: dict[str, int] = field(default_factory=dict)  # alternative -> notes giving it

    def add_note(self, votes: Iterable[Vote]) -> None:
        """Count one note's definitions of the term (a note must be counted only once)."""
        self.notes += 1
        given: set[str] = set()
        alternatives: set[str] = set()
        for note_path, note_date, label, text, glosses, line in votes:
            # "Most recent", for ties: later date, then later path, then later line.
            when = (note_date, note_path, line)
            seen = self.labels.get(label)
            if seen is None:
                self.labels[label] = [1, when]
            else:
                seen[0] += 1
                if when > seen[1]:
                    seen[1] = when
            if not text:
                continue
            variant = self.variants.get(text)
            if variant is None:
                variant = self.variants[text] = _Variant()
            if text not in given:
                given.add(text)
                variant.notes += 1
                alternatives.update(split_text(text).japanese)
            if when > variant.latest:
                variant.latest = when
            if glosses and (variant.glossed_at is None or (note_path, line) < variant.glossed_at):
                variant.glossed_at, variant.glosses = (note_path, line), glosses
        for alternative in alternatives:
            self.japanese[alternative] = self.japanese.get(alternative, 0) + 1

    def ranked(self) -> list[str]:
        """The variants, most notes first; among as many notes, the most recent note's
        first (by date, then path, then line)."""
        return sorted(self.variants, reverse=True,
                      key=lambda v: (self.variants[v].notes, self.variants[v].latest))

    def majority(self) -> str | None:
        """The variant more notes give than every other, or None (a tie, or no variant)."""
        return _majority(self.ranked(), self.variants)

    def newest(self) -> str | None:
        """The variant the most recent note gives, whatever the counts."""
        return max(self.variants, key=lambda v: self.variants[v].latest, default=None)

    def choose(self, pinned: str | None = None) -> Choice:
        """A pin; else the majority; else (a tie) the most recent note's, marked a tie: the
        variant `gloss apply --ties newest` and `gloss resolve --pick newest` both write."""
        ranked = self.ranked()
        term = max(self.labels, key=lambda label: tuple(self.labels[label]))
        japanese = {j: self.japanese[j] for v in ranked for j in split_text(v).japanese}
        tie = False
        if pinned is not None:
            meaning = split_text(pinned)
            variant, glosses, status = meaning.variant, ", ".join(meaning.glosses), "pinned"
        elif not ranked:
            variant, glosses, status = "", "", "undefined"
        else:
            tie = _majority(ranked, self.variants) is None
            variant = self.newest() if tie else ranked[0]
            glosses = self.variants[variant].glosses
            status = "conflict" if len(ranked) > 1 else "ok"
        for alternative in split_text(variant).japanese:
            japanese.setdefault(alternative, 0)
        return Choice(term, variant, glosses, status, self.notes, len(ranked), japanese, tie)


def _majority(ranked: list[str], variants: dict) -> str | None:
    """The first of the ranked variants if more notes give it than the second."""
    if not ranked or (len(ranked) > 1 and variants[ranked[0]].notes
                      == variants[ranked[1]].notes):
        return None
    return ranked[0]


def count_note(tallies: dict[str, Tally], votes: Iterable[tuple[str, Vote]]) -> None:
    """Add one note's definitions, as (term key, vote) pairs, to the tallies of their terms."""
    by_key: dict[str, list[Vote]] = {}
    for key, vote in votes:
        by_key.setdefault(key, []).append(vote)
    for key, term_votes in by_key.items():
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = Tally()
        tally.add_note(term_votes)

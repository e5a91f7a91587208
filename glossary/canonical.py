"""Choosing one definition of a term from what the notes say.

Pure: given every definition of a term (which note, how recent, what it says) and the
user's pin if any, decide the canonical definition and the term's status.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from .definitions import split_text


class Vote(NamedTuple):
    """One note's definition of a term, reduced to what decides the choice (a tuple: a
    harvest makes one per definition)."""

    note_path: str
    note_date: str
    label: str
    variant: str  # "" when the definition is empty
    glosses: str = ""
    line: int = 0


@dataclass(frozen=True)
class Choice:
    term: str
    variant: str  # the canonical definition text, "" when undefined
    glosses: str
    status: str  # "ok", "conflict", "undefined" or "pinned"
    variants: dict[str, list[str]]  # variant text -> note paths giving it, most notes first
    notes_count: int


def recency(vote: Vote) -> tuple[str, str, int]:
    """Later date, then later path, then later line: what "most recent" means for ties."""
    return (vote.note_date or "", vote.note_path, vote.line)


def choose(votes: list[Vote], pinned: str | None = None) -> Choice:
    """The definition most notes give, ties to the most recent note; a pin wins outright."""
    notes_by_variant: dict[str, set[str]] = {}
    latest: dict[str, tuple[str, str]] = {}
    glosses_by_variant: dict[str, str] = {}
    for vote in votes:
        if not vote.variant:
            continue
        notes_by_variant.setdefault(vote.variant, set()).add(vote.note_path)
        latest[vote.variant] = max(latest.get(vote.variant, ("", "", 0)), recency(vote))
        if vote.glosses and vote.variant not in glosses_by_variant:
            glosses_by_variant[vote.variant] = vote.glosses
    ranked = sorted(
        notes_by_variant, key=lambda v: (len(notes_by_variant[v]), latest[v]), reverse=True
    )
    variants = {v: sorted(notes_by_variant[v]) for v in ranked}
    term = _preferred_spelling(votes)
    notes_count = len({v.note_path for v in votes})
    if pinned is not None:
        meaning = split_text(pinned)
        glosses = ", ".join(meaning.glosses)
        return Choice(term, meaning.variant, glosses, "pinned", variants, notes_count)
    if not ranked:
        return Choice(term, "", "", "undefined", variants, notes_count)
    best = ranked[0]
    status = "conflict" if len(ranked) > 1 else "ok"
    return Choice(term, best, glosses_by_variant.get(best, ""), status, variants, notes_count)


def _preferred_spelling(votes: list[Vote]) -> str:
    """The label as most notes write it, ties to the most recent note."""
    counts = Counter(v.label for v in votes)
    latest = {v.label: recency(v) for v in sorted(votes, key=recency)}
    return max(counts, key=lambda label: (counts[label], latest[label]))

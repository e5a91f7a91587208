"""The glossary's terms: choosing each term's definition, recounting terms after notes
change (with the lists pages read), the user's pins, finding a term from what a user types,
and a term's story. Harvest and apply both stand on this."""

from .choice import Choice, Tally, Vote, count_note
from .closest import closest_terms
from .lookup import search
from .pins import pin_definition, pin_reading, unpin_definition, unpin_reading
from .recount import recount
from .story import (
    Case,
    TermStory,
    Translation,
    UnknownTerm,
    Variant,
    conflicts,
    find_terms,
    see_also,
    story,
    unknown,
)

__all__ = [
    "Case", "Choice", "Tally", "TermStory", "Translation", "UnknownTerm", "Variant", "Vote",
    "closest_terms", "conflicts", "count_note", "find_terms", "pin_definition", "pin_reading",
    "recount", "search", "see_also", "story", "unknown", "unpin_definition", "unpin_reading",
]

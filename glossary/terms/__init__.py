"""The glossary's terms: choosing each term's definition, recounting terms after notes
change, the user's pins, and a term's story. Harvest and apply both stand on this."""

from .choice import Choice, Tally, Vote, count_note
from .closest import closest_terms
from .pins import pin_definition, pin_reading, unpin_definition, unpin_reading
from .recount import recount
from .story import TermStory, UnknownTerm, Variant, conflicts, story

__all__ = [
    "Choice", "Tally", "TermStory", "UnknownTerm", "Variant", "Vote", "closest_terms",
    "conflicts", "count_note", "pin_definition", "pin_reading", "recount", "story",
    "unpin_definition", "unpin_reading",
]

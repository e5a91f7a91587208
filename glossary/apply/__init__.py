"""Apply: write each term's canonical definition back into the notes that disagree,
changing only definition text, verified, written atomically."""

from .report import ApplyReport
from .run import TIES, apply

__all__ = ["TIES", "ApplyReport", "apply"]

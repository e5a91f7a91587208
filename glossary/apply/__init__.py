"""Apply: write each term's canonical definition back into the notes that disagree,
changing only definition text, verified, written atomically."""

from .run import ApplyReport, apply

__all__ = ["ApplyReport", "apply"]

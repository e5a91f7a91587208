"""The glossary's terms closest to a word the user typed: "did you mean flank?"."""

from __future__ import annotations

from difflib import get_close_matches

import sqlite_utils

from glossary.notes import normalize_label


def closest_terms(db: sqlite_utils.Database, word: str, limit: int = 3) -> list[str]:
    """Up to `limit` terms (as written) whose keys are most like `word`'s, best first."""
    terms = dict(db.execute("select key, term from terms").fetchall())
    keys = get_close_matches(normalize_label(word), terms, n=limit, cutoff=0.7)
    return [terms[key] for key in keys]

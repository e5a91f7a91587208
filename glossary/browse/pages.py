"""What gloss's own pages show, read from the glossary on one connection: the home page
(search results, counts, the conflicts to decide, the undefined terms to fill, the newest
cases) and a term's page (its story and the terms sharing a kanji with it).

Every statement reads rows by an index and a LIMIT (glossary.terms.lists keeps what they
need), so a page costs the same at a hundred notes or a hundred thousand.
"""

from __future__ import annotations

from typing import Any

from glossary.terms.lookup import search
from glossary.terms.story import see_also, story

LISTED = 10  # rows in each list of the home page
CASES = 50  # cases on a term's page (the rest are a link away)
NOTES = 5  # notes shown under each variant


def _dicts(cursor: Any) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def home(conn: Any, query: str) -> dict:
    """The home page: what `query` finds, and the glossary at a glance."""
    counts = {status: conn.execute("select count(*) from terms where status = ?",
                                   [status]).fetchone()[0]
              for status in ("ok", "conflict", "undefined", "pinned")}
    widest = ("select key, term, japanese, notes_count, variants_count from terms "
              "where status = ? order by notes_count desc, key limit ?")
    return {
        "query": query,
        "results": search(conn, query) if query.strip() else [],
        "counts": counts,
        "terms": sum(counts.values()),
        "notes": conn.execute("select count(*) from notes").fetchone()[0],
        "conflicts": _dicts(conn.execute(widest, ["conflict", LISTED])),
        "undefined": _dicts(conn.execute(widest, ["undefined", LISTED])),
        "recent": _dicts(conn.execute(
            "select path, title, citation, url, date, age, sex, definitions_count "
            "from notes order by date desc limit ?", [LISTED])),
    }


def term_page(conn: Any, key: str) -> dict:
    """A term's page: its story (newest cases, first notes of each variant), the notes of
    its variants and cases (title, journal link), and the terms sharing a kanji."""
    told = story(conn, key, cases=CASES, notes=NOTES)
    paths = {path for variant in told.variants for path in variant.notes}
    paths.update(told.undefined_in)
    notes = {}
    for path in sorted(paths):
        row = conn.execute("select title, citation, url, date from notes where path = ?",
                           [path]).fetchone()
        if row:
            notes[path] = dict(zip(("title", "citation", "url", "date"), row, strict=True))
    return {"story": told, "notes": notes,
            "see_also": see_also(conn, told.key, told.japanese)}

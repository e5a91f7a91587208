"""Finding a term from what a user types: a piece of its English, its Japanese, its kana
reading or its romaji, the way people type them.

Each term is stored with its *search forms* (table `term_search`): the English term folded
(case and runs of spaces set aside), each Japanese alternative (NFKC, no spaces), each
reading in hiragana, and each romaji folded so that the spellings people type meet:
spaces, hyphens and apostrophes dropped, macrons and circumflexes dropped, long vowels
written once (`shougen`, `shoogen`, `shōgen` and `shogen` all fold to `shogen`), `m`
before b, p or m as `n`. A query is folded the same ways (the SQL function `search_form`)
and matches a form that contains it; results rank exact, then prefix, then substring, then
by how many notes define the term.

`SEARCH_SQL` is the one statement that searches: the home page, the canned query `search`,
the terms table's search box and `gloss show` all run it.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from typing import Any

from glossary.notes import has_japanese
from glossary.readings.romaji import kata_to_hira

KINDS = ("english", "japanese", "kana", "romaji")

_LONG_VOWEL = re.compile(r"([aeiou])\1+")
_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u309d\u309e\u30fd\u30fe]+$")


def english_form(text: str) -> str:
    """English as searched: case folded, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def japanese_form(text: str) -> str:
    """Japanese as searched: NFKC (full-width letters, half-width kana), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def kana_form(text: str) -> str:
    """A reading as searched: hiragana, no spaces ("" when the text is not all kana)."""
    kana = japanese_form(text)
    return kata_to_hira(kana) if _KANA.match(kana) else ""


def romaji_form(text: str) -> str:
    """Romaji as searched ("" when the text is not romaji): lowercase letters only, long
    vowels once, macrons dropped, m before a labial as n."""
    letters = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold())
                      if not unicodedata.combining(ch))
    if not letters.isascii() or not any(ch.isalpha() for ch in letters):
        return ""
    letters = re.sub(r"[^a-z]", "", letters).replace("ou", "o")
    return re.sub(r"m(?=[bpm])", "n", _LONG_VOWEL.sub(r"\1", letters))


_FOLD = {"english": english_form, "japanese": japanese_form, "kana": kana_form,
         "romaji": romaji_form}


def search_form(kind: str, query: str | None) -> str:
    """The query folded as forms of `kind` are ("" when it cannot be one: Japanese with no
    kana or kanji, kana with other letters, romaji with non-Latin letters)."""
    if not query or kind not in _FOLD:
        return ""
    if kind == "japanese" and not has_japanese(query):
        return ""
    if kind == "english" and has_japanese(query):
        return ""
    return _FOLD[kind](query)


def term_forms(term: str, translations: Iterable[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """(kind, form) of a term to be found by: its English and, for each Japanese alternative
    (japanese, reading, romaji), its Japanese, reading and romaji."""
    forms = {("english", english_form(term))}
    for japanese, reading, romaji in translations:
        forms.add(("japanese", japanese_form(japanese)))
        forms.add(("kana", kana_form(reading)))
        forms.add(("romaji", romaji_form(romaji)))
    return {(kind, form) for kind, form in forms if form}


def register(conn: Any) -> None:
    """Make `search_form(kind, query)` callable from SQL on a sqlite3 connection."""
    conn.create_function("search_form", 2, search_form, deterministic=True)


# The matches of :q, best rank per term: 0 exact, 1 prefix, 2 substring.
MATCHES_SQL = """
select s.term_key, min(case when s.form = q.form then 0
                            when substr(s.form, 1, length(q.form)) = q.form then 1
                            else 2 end) as rank
from (select 'english' as kind, search_form('english', :q) as form
      union all select 'japanese', search_form('japanese', :q)
      union all select 'kana', search_form('kana', :q)
      union all select 'romaji', search_form('romaji', :q)) as q
join term_search s on s.kind = q.kind and instr(s.form, q.form) > 0
where q.form != ''
group by s.term_key"""

SEARCH_SQL = f"""
select t.term, t.japanese, t.reading, t.romaji, t.glosses, t.status, t.notes_count,
       m.rank, t.key as term_key
from ({MATCHES_SQL.strip()}) as m
join terms t on t.key = m.term_key
order by m.rank, t.notes_count desc, t.key
limit 100"""

RANKS = {0: "exact", 1: "prefix", 2: "part"}


def search(conn: sqlite3.Connection | Any, query: str, limit: int = 100) -> list[dict]:
    """The terms `query` finds, best first (at most 100), as dicts (term, japanese,
    reading, romaji, glosses, status, notes_count, rank, term_key)."""
    register(getattr(conn, "conn", conn))
    cursor = conn.execute(SEARCH_SQL, {"q": query})
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor][:limit]

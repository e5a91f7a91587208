"""JMdict words with their readings, read from the database of ``jamdict-data``.

Build-time only (the shipped tables and the benchmark's word lists are derived from it;
nothing imports it at run time). JMdict is © the Electronic Dictionary Research and
Development Group, CC BY-SA 4.0. ``pip install jamdict-data`` provides the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .romaji import kata_to_hira

# kanji forms and readings JMdict marks as irregular, out-dated or rare: not the word's
# usual spelling or reading, so neither taught nor tested
_ODD = (
    "word containing out-dated kanji",
    "word containing irregular kanji usage",
    "irregular okurigana usage",
    "out-dated or obsolete kana usage",
    "word containing irregular kana usage",
    "rarely-used kanji form",
    "search-only kanji form",
    "search-only kana form",
)


@dataclass(frozen=True)
class Word:
    """One JMdict kanji form: its text, the readings that go with it, its fields, glosses."""

    idseq: int
    text: str
    readings: tuple[str, ...]  # hiragana (katakana in the reading turned into hiragana)
    fields: frozenset[str]
    glosses: tuple[str, ...]
    first: bool  # the entry's first kanji form (its usual spelling)


def database() -> Path:
    """The path of jamdict-data's database (ImportError when it is not installed)."""
    import jamdict_data  # type: ignore[import-not-found]

    return Path(jamdict_data.__file__).with_name("jamdict.db")


def words(db_path: Path | None = None) -> Iterator[Word]:
    """Every usual kanji form of JMdict with the usual readings that apply to it."""
    con = sqlite3.connect(f"file:{db_path or database()}?mode=ro", uri=True)
    odd_kanji = {k for (k,) in con.execute(
        f"select kid from KJI where text in ({','.join('?' * len(_ODD))})", _ODD)}
    odd_kana = {k for (k,) in con.execute(
        f"select kid from KNI where text in ({','.join('?' * len(_ODD))})", _ODD)}
    restr: dict[int, set[str]] = {}
    for kid, text in con.execute("select kid, text from KNR"):
        restr.setdefault(kid, set()).add(text)
    kana: dict[int, list[tuple[int, str]]] = {}
    for kid, idseq, text, nokanji in con.execute(
        "select ID, idseq, text, nokanji from Kana order by ID"
    ):
        if not nokanji and kid not in odd_kana:
            kana.setdefault(idseq, []).append((kid, text))
    fields: dict[int, set[str]] = {}
    for idseq, text in con.execute(
        "select s.idseq, f.text from field f join Sense s on s.ID = f.sid"
    ):
        fields.setdefault(idseq, set()).add(text)
    glosses: dict[int, list[str]] = {}
    for idseq, text in con.execute(
        "select s.idseq, g.text from SenseGloss g join Sense s on s.ID = g.sid order by g.rowid"
    ):
        glosses.setdefault(idseq, []).append(text)
    seen: set[int] = set()
    for kid, idseq, text in con.execute("select ID, idseq, text from Kanji order by ID"):
        if kid in odd_kanji:
            continue
        readings = tuple(
            dict.fromkeys(
                kata_to_hira(r) for rid, r in kana.get(idseq, ()) if text in restr.get(rid, {text})
            )
        )
        if readings:
            yield Word(
                idseq, text, readings, frozenset(fields.get(idseq, ())),
                tuple(glosses.get(idseq, ())), idseq not in seen,
            )
            seen.add(idseq)
    con.close()

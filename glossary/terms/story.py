"""What the glossary knows of a term, told: its definition with readings, its variants and
the notes behind each, the cases where it was met with their sentences, and the terms that
share a kanji with it; and the conflicts the user has to decide.

Everything is read from rows kept per term (glossary.terms.lists) by an index, so telling
a term costs the same in a glossary of a hundred notes or of a hundred thousand: a term
met in thousands of notes shows its newest cases (`cases`) and the first notes of each
variant (`notes`), with the counts of the rest.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from glossary.errors import GlossError
from glossary.notes import normalize_label

from .closest import closest_terms
from .lookup import search


class UnknownTerm(GlossError):
    """A term the glossary has never seen."""


@dataclass
class Variant:
    """One definition text the notes give, and the notes giving it (all, or the first)."""

    text: str
    notes: list[str]
    notes_count: int = 0
    chosen: bool = False
    glosses: str = ""


@dataclass
class Translation:
    japanese: str
    reading: str
    romaji: str
    notes_count: int
    canonical: bool


@dataclass
class Case:
    """A note where the term was met: the case, what the note says, the sentence."""

    note_path: str
    date: str
    title: str
    citation: str
    url: str
    age: str
    sex: str
    line: int  # of the note's first definition of the term
    variants: list[str]  # what the note gives ("" when it leaves the term empty)
    text: str = ""  # the linked text as written in the sentence
    sentence: str = ""
    sentence_line: int = 0


@dataclass
class TermStory:
    """Everything the glossary knows of one term."""

    key: str
    term: str
    japanese: str
    reading: str
    romaji: str
    glosses: str
    status: str
    notes_count: int = 0
    tie: bool = False  # a conflict no variant wins by notes (see glossary.terms.choice)
    translations: list[Translation] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    pronunciations: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    undefined_in: list[str] = field(default_factory=list)
    undefined_count: int = 0
    cases: list[Case] = field(default_factory=list)

    def command(self, variant: str) -> str:
        """The command that settles this term on `variant`."""
        return f"gloss prefer {shlex.quote(self.term)} {shlex.quote(variant)}"


_TERM = ("select key, term, japanese, reading, romaji, glosses, status, notes_count, "
         "tie = 1 from terms where key = ?")
# A variant's notes, by path; a term's cases, newest first: each read by an index.
_VARIANT_NOTES = ("select note_path from term_cases where term_key = ? and variant = ? "
                  "order by note_path limit ?")
_CASES = ("select note_path, date, variant, line from term_cases where term_key = ? "
          "order by date desc, note_path desc limit ?")
_NOTE = "select title, citation, url, age, sex from notes where path = ?"
# By the note (a term may be used in thousands of notes, a note uses a dozen terms).
_USE = ("select text, context, line from occurrences where note_path = ? "
        "and +term_key = ? and context != '' order by line limit 1")


def conflicts(db: Any) -> Iterator[TermStory]:
    """Every term whose notes disagree, in term order, with each variant (most notes first)
    and every note giving it; one term at a time, so memory stays flat."""
    rows = db.execute(
        """select t.key, t.term, t.japanese, t.reading, t.romaji, t.glosses, t.status,
                  t.notes_count, t.tie = 1, c.variant, c.note_path
           from terms t join term_cases c on c.term_key = t.key
           where t.status = 'conflict' and c.variant != ''
           order by t.key, c.variant, c.note_path""")
    for _, term_rows in groupby(rows, key=lambda row: row[0]):
        told: TermStory | None = None
        by_variant: dict[str, Variant] = {}
        for *head, variant, note_path in term_rows:
            told = told or TermStory(*head)
            by_variant.setdefault(variant, Variant(variant, [])).notes.append(note_path)
        assert told is not None
        chosen = told.japanese or told.glosses
        for variant in by_variant.values():
            variant.notes_count, variant.chosen = len(variant.notes), variant.text == chosen
        told.variants = sorted(by_variant.values(), key=_most_notes_first)
        yield told


def _most_notes_first(variant: Variant) -> tuple:
    """Variants by how many notes give them; equals by their first note, as notes are
    listed (a tie's variants in the order its notes come)."""
    return -variant.notes_count, variant.notes[:1], variant.text


def find_terms(db: Any, word: str) -> list[str]:
    """The keys of the terms `word` names exactly: its English, or one of its Japanese
    alternatives, readings or romaji (as glossary.terms.lookup folds them); else the one
    term they begin with (`sekkai` for 石灰沈着, as a shell completes a name); else none.
    A word found only inside a term names none: ptosis is not proptosis."""
    key = normalize_label(word)
    if db.execute("select 1 from terms where key = ?", [key]).fetchone():
        return [key]
    hits = [hit for hit in search(db, word) if hit["rank"] <= 1]
    exact = [hit["term_key"] for hit in hits if hit["rank"] == 0]
    return exact or [hit["term_key"] for hit in hits if len(hits) == 1]


def suggestions(db: Any, word: str, limit: int = 5) -> list[str]:
    """Terms like `word` for "did you mean": the closest English terms, then the terms
    holding it as a part."""
    found = closest_terms(db, word)
    for hit in search(db, word, limit=limit):
        if hit["term"] not in found:
            found.append(hit["term"])
    return found[:limit]


def unknown(db: Any, word: str) -> UnknownTerm:
    """The error for a word the glossary does not know, with what the user may have meant."""
    like = suggestions(db, word)
    hint = f"; did you mean {', '.join(like[:-1])} or {like[-1]}?" if len(like) > 1 else (
        f"; did you mean {like[0]}?" if like else "")
    return UnknownTerm(f"{word}: no such term in the glossary{hint}")


def story(db: Any, term: str, *, cases: int | None = 20, notes: int | None = None
          ) -> TermStory:
    """The term (by its key), its definition with readings, its variants with their notes
    (the first `notes` of each; None: all), and its newest `cases` (None: all)."""
    key = normalize_label(term)
    row = db.execute(_TERM, [key]).fetchone()
    if row is None:
        raise unknown(db, term)
    told = TermStory(*row)
    chosen = {japanese: at for at, japanese in enumerate(told.japanese.split(", "))}
    told.translations = sorted(
        (Translation(japanese, reading, romaji, count, bool(canonical))
         for japanese, reading, romaji, count, canonical in db.execute(
             "select japanese, reading, romaji, notes_count, canonical from translations "
             "where term_key = ? order by notes_count desc, japanese", [key])),
        key=lambda t: (not t.canonical, chosen.get(t.japanese, len(chosen))))
    for remark, pronunciation in db.execute(
            "select distinct remark, pronunciation from definitions where term_key = ? "
            "and (remark != '' or pronunciation != '')", [key]):
        for value, kept in ((remark, told.remarks), (pronunciation, told.pronunciations)):
            if value and value not in kept:
                kept.append(value)
    limit = -1 if notes is None else notes
    for text, glosses, count, chosen in db.execute(
            "select variant, glosses, notes_count, chosen from variants where term_key = ? "
            "order by notes_count desc, variant", [key]):
        paths = [path for (path,) in db.execute(_VARIANT_NOTES, [key, text, limit])]
        told.variants.append(Variant(text, paths, count, bool(chosen), glosses))
    told.variants.sort(key=_most_notes_first)
    told.undefined_in = [path for (path,) in db.execute(_VARIANT_NOTES, [key, "", limit])]
    told.undefined_count = db.execute(
        "select count(*) from term_cases where term_key = ? and variant = ''", [key]
    ).fetchone()[0]
    told.cases = _cases(db, key, cases)
    return told


def _cases(db: Any, key: str, limit: int | None) -> list[Case]:
    """The newest cases of a term (a note giving two texts is one case)."""
    rows = db.execute(_CASES, [key, -1 if limit is None else limit * 2]).fetchall()
    found: list[Case] = []
    for path, note_rows in groupby(rows, key=lambda row: row[0]):
        note_rows = list(note_rows)
        if limit is not None and len(found) == limit:
            break
        note = db.execute(_NOTE, [path]).fetchone() or ("", "", "", "", "")
        case = Case(path, note_rows[0][1], *note, min(r[3] for r in note_rows),
                    [r[2] for r in note_rows])
        use = db.execute(_USE, [path, key]).fetchone()
        if use:
            case.text, case.sentence, case.sentence_line = use
        found.append(case)
    return found


def sentence_in(db: Any, key: str, note_path: str) -> tuple[str, str]:
    """The first sentence in which a note uses the term, and the term's text there
    (("", "") when the note only defines it)."""
    use = db.execute(_USE, [note_path, key]).fetchone()
    return (use[1], use[0]) if use else ("", "")


def see_also(db: Any, key: str, japanese: str, limit: int = 12) -> list[tuple[str, str, str]]:
    """Other terms whose Japanese shares a kanji with `japanese`: (key, term, shared
    kanji), those sharing more (and rarer) kanji first."""
    shared: dict[str, dict[str, None]] = {}
    weight: dict[str, float] = {}
    kanji = list(dict.fromkeys(ch for ch, in db.execute(
        "select kanji from term_kanji where term_key = ?", [key])))
    for ch in kanji:
        keys = [k for (k,) in db.execute(
            "select term_key from term_kanji where kanji = ? and term_key != ?", [ch, key])]
        for other in keys:
            shared.setdefault(other, {})[ch] = None
            weight[other] = weight.get(other, 0.0) + 1 / len(keys)
    best = sorted(shared, key=lambda k: (-len(shared[k]), -weight[k], k))[:limit]
    terms = dict(db.execute(
        f"select key, term from terms where key in ({', '.join('?' for _ in best)})", best
    ).fetchall()) if best else {}
    order = {ch: i for i, ch in enumerate(japanese)}
    return [(k, terms.get(k, k), "".join(sorted(shared[k], key=lambda ch: order.get(ch, 0))))
            for k in best]

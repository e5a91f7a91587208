"""The glossary as an Anki deck (`.apkg`), written by genanki.

One note per defined term (an undefined term has nothing to learn), on gloss's own note
type (anki_model.py), with fields made by anki_fields.py. A note's GUID comes from the
term's key and the deck's id from its name, so importing a newer export updates the notes
of an older one, adds only new terms, and keeps the user's reviews.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import sqlite_utils

from glossary.errors import GlossError
from glossary.notes import split_text

from . import anki_fields, anki_model
from .rows import order_by

DEFAULT_DECK = "gloss"
DESCRIPTION = ("English–Japanese terms harvested by gloss from your case notes: each with "
               "its reading, a sentence from a case and the article it came from.")


class UnknownCollection(GlossError):
    """A --collection that no note of the glossary lies in."""


@dataclass(frozen=True)
class Filters:
    """Which terms go into the deck: those defined in notes of these collections (folders,
    with their subfolders; all when empty), first met in a case dated on or after `since`."""

    collections: tuple[str, ...] = ()
    since: datetime.date | None = None

    def keeps(self, cases: list[dict]) -> bool:
        """True when a term defined in these cases (rows of `notes`) passes."""
        if self.collections and not any(
                _within(case["collection"] or "", self.collections) for case in cases):
            return False
        if self.since is not None:
            dates = [case["date"] for case in cases if case["date"]]
            return bool(dates) and min(dates) >= self.since.isoformat()
        return True


@dataclass
class DeckSummary:
    """What went into a deck, for the command's summary line."""

    notes: int = 0
    with_furigana: int = 0
    with_sentence: int = 0
    undefined: int = 0  # undefined terms that passed the filters and were left out


@dataclass(frozen=True)
class TermNote:
    """One Anki note: the key it is known by, its fields in anki_model.FIELDS order, tags."""

    key: str
    fields: tuple[str, ...]
    tags: list[str]


def _within(collection: str, wanted: Sequence[str]) -> bool:
    return any(collection == w or collection.startswith(w + "/") for w in wanted)


def check_collections(db: sqlite_utils.Database, collections: Sequence[str]) -> tuple[str, ...]:
    """The collections asked for, without surrounding slashes; each must hold a note."""
    cleaned = tuple(c.strip().strip("/") for c in collections)
    for collection in cleaned:
        found = db.execute(
            "select 1 from notes where collection = ? or "
            "(collection >= ? and collection < ?) limit 1",
            [collection, collection + "/", collection + "0"]).fetchone()  # "0" follows "/"
        if not collection or found is None:
            raise UnknownCollection(
                f"no note of the glossary is in collection {collection!r} "
                "(a folder below the notes folder, such as NEJM/IiCM)")
    return cleaned


def _cases(db: sqlite_utils.Database, key: str) -> list[dict]:
    """The definitions of a term with their notes, newest note first."""
    return list(db.query(
        """select d.japanese, d.remark, d.pronunciation, n.collection, n.date, n.title,
                  n.url
           from definitions d join notes n on n.path = d.note_path
           where d.term_key = ? order by n.date desc, n.path desc, d.line""", [key]))


def _newest_use(db: sqlite_utils.Database, key: str) -> dict | None:
    """The newest case's first sentence using the term, with that case."""
    rows = db.query(
        """select o.text, o.context, n.title, n.date, n.url
           from occurrences o join notes n on n.path = o.note_path
           where o.term_key = ? and o.context != ''
           order by n.date desc, o.note_path desc, o.line limit 1""", [key])
    return next(iter(rows), None)


def _joined(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def term_note(db: sqlite_utils.Database, term: dict, cases: list[dict]) -> TermNote:
    """The Anki note of a defined term, from its row and its cases."""
    agreeing = [case for case in cases if case["japanese"] == term["japanese"]]
    alternatives = split_text(term["japanese"]).japanese if term["japanese"] else ()
    use = _newest_use(db, term["key"])
    sentence = cloze = ""
    case = use or (cases[0] if cases else {"title": "", "date": "", "url": ""})
    if use:
        sentence, cloze = anki_fields.emphasized(use["context"], use["text"],
                                                 alternatives[0] if alternatives else "")
    text = {
        "English": term["term"],
        "Japanese": term["japanese"],
        "Romaji": term["romaji"],
        "Glosses": term["glosses"],
        "Remarks": _joined([c["remark"] for c in agreeing]),
        "Pronunciation": _joined([c["pronunciation"] for c in agreeing]),
        "CaseTitle": case["title"],
        "CaseDate": case["date"],
    }
    fields = {name: anki_fields.as_html(value or "") for name, value in text.items()}
    fields.update({
        "Furigana": anki_fields.furigana_field(term["japanese"], term["reading"]),
        "Sentence": sentence,
        "SentenceCloze": cloze,
        "CaseLink": anki_fields.case_link(case["url"] or ""),
    })
    tags = anki_fields.tags({c["collection"] or "" for c in cases}, term["status"])
    return TermNote(term["key"], tuple(fields[name] for name in anki_model.FIELDS), tags)


def term_notes(db: sqlite_utils.Database, summary: DeckSummary, *, sort: str = "term",
               filters: Filters = Filters()) -> Iterator[TermNote]:
    """The note of every defined term that passes the filters, in the order asked for;
    counts the undefined terms it leaves out in `summary`."""
    for term in db.query(f"select t.* from terms t order by {order_by(sort)}"):
        cases = _cases(db, term["key"])
        if not filters.keeps(cases):
            continue
        if term["status"] == "undefined":
            summary.undefined += 1
            continue
        yield term_note(db, term, cases)


@contextmanager
def _own_temporary_files() -> Iterator[None]:
    """genanki builds the collection in a temporary file it never removes: give it a
    directory of its own, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gloss-anki-") as scratch:
        before, tempfile.tempdir = tempfile.tempdir, scratch
        try:
            yield
        finally:
            tempfile.tempdir = before


def write_deck(db: sqlite_utils.Database, out: BinaryIO, *, deck: str = DEFAULT_DECK,
               sort: str = "term", filters: Filters = Filters(),
               timestamp: float | None = None) -> DeckSummary:
    """Write the deck as an Anki package to a binary stream; returns what went in.

    `timestamp` (seconds, default now) is the notes' modification time: Anki updates a
    note it already has only from a newer one.
    """
    import genanki

    model = genanki.Model(**anki_model.note_type_parts())
    anki_deck = genanki.Deck(anki_fields.deck_id(deck), deck, DESCRIPTION)
    summary = DeckSummary()
    for position, note in enumerate(term_notes(db, summary, sort=sort, filters=filters)):
        anki_deck.add_note(genanki.Note(model=model, fields=list(note.fields), tags=note.tags,
                                        guid=genanki.guid_for("gloss", note.key),
                                        due=position))
        summary.notes += 1
        furigana, sentence = (note.fields[anki_model.FIELDS.index(name)]
                              for name in ("Furigana", "Sentence"))
        summary.with_furigana += anki_fields.has_furigana(furigana)
        summary.with_sentence += bool(sentence)
    with _own_temporary_files():
        genanki.Package(anki_deck).write_to_file(out, timestamp=timestamp)
    return summary

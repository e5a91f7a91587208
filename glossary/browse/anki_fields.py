"""The text of an Anki note's fields, from a term's rows (pure).

Furigana in the form Anki's `furigana:` filter reads (`持[も]っている`), the case sentence
with the term in bold and as a cloze, tags, and the fixed ids that make a newer export
update the notes of an older one. Field values are HTML: every text from the notes is
escaped here.
"""

from __future__ import annotations

import hashlib
import html
import re

from glossary.notes import split_text
from glossary.readings import Piece, furigana

ALTERNATIVES_SEPARATOR = "、"  # Anki's filter eats the space before a bracketed run
STATUS_TAGS = ("conflict", "pinned")  # "ok" says nothing worth a tag; undefined is left out


def as_html(value: str) -> str:
    """Text as HTML element content (quotes need no escaping there)."""
    return html.escape(value, quote=False)


def furigana_field(japanese: str, reading: str) -> str:
    """A term's Japanese with its readings over each kanji run, as Anki writes furigana.

    `japanese` and `reading` are a term's columns: alternatives and their readings, each
    ", "-joined. Kana and other text stay bare; each bracketed run but the first of the
    field has one space before it, where Anki's filter finds where the kanji start
    (`取[と]り 扱[あつか]い`). Alternatives are joined with `、`, since the space after a
    comma would be taken by the filter. An alternative without a reading stays bare.
    """
    alternatives = split_text(japanese).japanese if japanese else ()
    readings = reading.split(", ") if reading else []
    if len(readings) != len(alternatives):
        readings = [""] * len(alternatives)  # cannot tell which reading is whose
    pieces: list[Piece] = []
    for number, (alternative, hiragana) in enumerate(zip(alternatives, readings, strict=True)):
        if number:
            pieces.append(Piece(ALTERNATIVES_SEPARATOR, ""))
        pieces.extend(furigana(alternative, hiragana) if hiragana else [Piece(alternative, "")])
    out: list[str] = []
    for text, over in pieces:
        if over:
            out.append(f"{' ' if out else ''}{as_html(text)}[{as_html(over)}]")
        else:
            out.append(as_html(text))
    return "".join(out)


def has_furigana(field: str) -> bool:
    """True when a furigana field puts a reading over some text."""
    return "[" in field


def _spans(sentence: str, text: str) -> list[tuple[int, int]]:
    """Where the linked text stands in its sentence: as a whole word, or else as the start
    of a word (`[flank]s`), taking the rest of that word."""
    if not text.strip():
        return []
    word = re.escape(text)
    for pattern in (rf"(?<!\w){word}(?!\w)", rf"(?<!\w){word}\w*"):
        found = [m.span() for m in re.finditer(pattern, sentence, re.IGNORECASE)]
        if found:
            return found
    return []


def emphasized(sentence: str, text: str, hint: str = "") -> tuple[str, str]:
    """The sentence as HTML with the term in bold, and as a cloze (`{{c1::term::hint}}`).

    `text` is the link's text as the note wrote it; every place it stands in the sentence
    is marked. When it cannot be found, the sentence is plain and there is no cloze.
    """
    spans = _spans(sentence, text)
    if not spans:
        return as_html(sentence), ""
    if "::" in hint or "}" in hint:
        hint = ""  # would end the cloze early
    bold: list[str] = []
    cloze: list[str] = []
    at = 0
    for start, end in spans:
        before, word = as_html(sentence[at:start]), as_html(sentence[start:end])
        bold += [before, f"<b>{word}</b>"]
        cloze += [before, "{{c1::" + word + (f"::{as_html(hint)}" if hint else "") + "}}"]
        at = end
    rest = as_html(sentence[at:])
    return "".join(bold) + rest, "".join(cloze) + rest


def collection_tag(collection: str) -> str:
    """A note's folder as a hierarchical Anki tag: `NEJM/IiCM` → `NEJM::IiCM`."""
    parts = [part.strip().replace(" ", "_") for part in collection.split("/")]
    return "::".join(part for part in parts if part)


def tags(collections: set[str], status: str) -> list[str]:
    """A note's tags: the collections of the notes defining the term, and its status."""
    found = {collection_tag(collection) for collection in collections} - {""}
    if status in STATUS_TAGS:
        found.add(status)
    return sorted(found)


def deck_id(name: str) -> int:
    """A deck's id, the same for the same name in every export (Anki ids of decks made by
    tools lie between 2^30 and 2^31)."""
    digest = hashlib.sha256(f"gloss deck {name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def case_link(url: str) -> str:
    """A journal URL for a link's href, or "" when it is not a web address."""
    return html.escape(url) if re.match(r"https?://", url or "", re.IGNORECASE) else ""

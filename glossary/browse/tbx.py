"""TBX-Basic export (TBX v3, ISO 30042:2019, DCA style) for translation tools.

One `conceptEntry` per term with a Japanese translation or a gloss. Element order follows
the TBX core structure the TBX-Basic dialect builds on: a `termSec` holds `term`, then its
`termNote`s, then auxiliary information (`descrip`, `admin`, `note`); a `langSec` holds
auxiliary information (here the gloss as a definition) before its `termSec`s.
Entries are written one at a time, as text: the structure is fixed, and a term in
thousands of notes lists each as a source, which ElementTree took seconds to build and
serialize; text is escaped as ElementTree escapes it (tests read every export back as XML).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TextIO
from xml.sax.saxutils import escape

import sqlite_utils

from .rows import NOTES, TRANSLATIONS, order_by

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
_STATUS = ' type="administrativeStatus"'
# A note as a bibliographic source: citation key (or path) and journal URL.
_SOURCE = ("coalesce(nullif(n.citation, ''), n.path) "
           "|| iif(n.url != '', ' <' || n.url || '>', '')")
_SCHEMA = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA"
HEADER = f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="{_SCHEMA}/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" \
schematypens="http://relaxng.org/ns/structure/1.0"?>
<?xml-model href="{_SCHEMA}/TBX-Basic_DCA.sch" type="application/xml" \
schematypens="http://purl.oclc.org/dsdl/schematron"?>
<tbx xmlns="{TBX_NAMESPACE}" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader>
    <fileDesc>
      <titleStmt>
        <title>gloss: English–Japanese medical glossary</title>
      </titleStmt>
      <sourceDesc>
        <p>Harvested by gloss from Markdown case notes.</p>
      </sourceDesc>
    </fileDesc>
  </tbxHeader>
  <text>
    <body>
"""
FOOTER = """    </body>
  </text>
</tbx>
"""


def _element(depth: int, tag: str, text: str, attributes: str = "") -> str:
    """One element holding text, on its own line at `depth` (attributes already written)."""
    indent = "  " * depth
    if not text:
        return f"{indent}<{tag}{attributes} />"
    return f"{indent}<{tag}{attributes}>{escape(text)}</{tag}>"


# The oldest sentence using the term, by its cases in date order (glossary.terms.lists).
_CONTEXT = f"""select o.context, {_SOURCE} from term_cases c
              join {NOTES} on n.path = c.note_path
              join occurrences o on o.note_path = c.note_path and +o.term_key = c.term_key
              where c.term_key = ? and o.context != ''
              order by c.date, c.note_path, o.line limit 1"""
# The notes defining a term and what each gives, oldest first.
_SOURCES = f"""select c.variant, {_SOURCE} from term_cases c
              join {NOTES} on n.path = c.note_path
              where c.term_key = ? order by c.date, c.note_path"""


def _reading_note(reading: str, romaji: str) -> str:
    if romaji:
        return f"reading: {reading} (romaji: {romaji})"
    return f"reading: {reading}"


def concept_entries(db: sqlite_utils.Database, sort: str = "term") -> Iterator[str]:
    """A `conceptEntry` (without namespace; the root declares it) per term, as indented
    lines of XML text."""
    conn = db.conn
    terms = conn.execute(
        "select t.key, t.term, t.glosses from terms t where t.japanese != '' or t.glosses != '' "
        f"order by {order_by(sort)}")
    for number, (key, term, glosses) in enumerate(terms, start=1):
        lines = [f'      <conceptEntry id="c{number}">', '        <langSec xml:lang="en">']
        if glosses:
            lines.append(_element(5, "descrip", glosses, ' type="definition"'))
        lines += ["          <termSec>", _element(6, "term", term),
                  _element(6, "termNote", PREFERRED, _STATUS)]
        context = conn.execute(_CONTEXT, [key]).fetchone()
        if context:
            lines += [_element(6, "descrip", context[0], ' type="context"'),
                      _element(6, "admin", context[1], ' type="source"')]
        lines += ["          </termSec>", "        </langSec>"]
        translations = conn.execute(TRANSLATIONS, [key]).fetchall()
        if translations:
            lines.append('        <langSec xml:lang="ja">')
            givers = _givers(conn, key)
            for japanese, reading, romaji, _, canonical in translations:
                lines += ["          <termSec>", _element(6, "term", japanese),
                          _element(6, "termNote", PREFERRED if canonical else ADMITTED, _STATUS)]
                lines += givers.get(japanese, [])
                if reading:
                    lines.append(_element(6, "note", _reading_note(reading, romaji)))
                lines.append("          </termSec>")
            lines.append("        </langSec>")
        lines.append("      </conceptEntry>")
        yield "\n".join(lines) + "\n"


def _givers(conn: sqlite3.Connection, key: str) -> dict[str, list[str]]:
    """The notes giving each Japanese alternative of a term, oldest first, as `admin`
    source lines (one pass over the term's cases)."""
    givers: dict[str, dict[str, None]] = {}
    for variant, source in conn.execute(_SOURCES, [key]):
        for alternative in variant.split(", "):
            givers.setdefault(alternative, {})[source] = None
    return {alternative: [_element(6, "admin", source, ' type="source"') for source in sources]
            for alternative, sources in givers.items()}


def write_tbx(db: sqlite_utils.Database, out: TextIO, *, sort: str = "term") -> int:
    """Write the glossary as a TBX-Basic document; returns the number of concept entries."""
    out.write(HEADER)
    count = 0
    for entry in concept_entries(db, sort):
        out.write(entry)
        count += 1
    out.write(FOOTER)
    return count

"""TBX-Basic export (TBX v3, ISO 30042:2019, DCA style) for translation tools.

One `conceptEntry` per term with a Japanese translation or a gloss. Element order follows
the TBX core structure the TBX-Basic dialect builds on: a `termSec` holds `term`, then its
`termNote`s, then auxiliary information (`descrip`, `admin`, `note`); a `langSec` holds
auxiliary information (here the gloss as a definition) before its `termSec`s.
Entries are written one at a time; ElementTree does all escaping.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TextIO

import sqlite_utils

from .rows import order_by

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
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


def _child(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _source_text(citation: str, url: str, path: str) -> str:
    """A note as a bibliographic source: citation key (or path) and journal URL."""
    name = citation or path
    return f"{name} <{url}>" if url else name


# The oldest sentence using the term, by its cases in date order (glossary.terms.lists).
_CONTEXT = """select o.context, n.citation, n.url, n.path from term_cases c
              join notes n on n.path = c.note_path
              join occurrences o on o.note_path = c.note_path and +o.term_key = c.term_key
              where c.term_key = ? and o.context != ''
              order by c.date, c.note_path, o.line limit 1"""
# The notes defining a term and what each gives, oldest first.
_SOURCES = """select c.variant, n.citation, n.url, n.path from term_cases c
              join notes n on n.path = c.note_path
              where c.term_key = ? order by c.date, c.note_path"""


def _reading_note(reading: str, romaji: str) -> str:
    if romaji:
        return f"reading: {reading} (romaji: {romaji})"
    return f"reading: {reading}"


def concept_entries(db: sqlite_utils.Database, sort: str = "term") -> Iterator[ET.Element]:
    """A `conceptEntry` element (without namespace; the root declares it) per term."""
    terms = db.query(
        f"select t.* from terms t where t.japanese != '' or t.glosses != '' "
        f"order by {order_by(sort)}"
    )
    for number, term in enumerate(terms, start=1):
        key = term["key"]
        entry = ET.Element("conceptEntry", {"id": f"c{number}"})
        english = ET.SubElement(entry, "langSec", {XML_LANG: "en"})
        if term["glosses"]:
            _child(english, "descrip", term["glosses"], type="definition")
        term_sec = ET.SubElement(english, "termSec")
        _child(term_sec, "term", term["term"])
        _child(term_sec, "termNote", PREFERRED, type="administrativeStatus")
        context = db.execute(_CONTEXT, [key]).fetchone()
        if context:
            _child(term_sec, "descrip", context[0], type="context")
            _child(term_sec, "admin", _source_text(*context[1:]), type="source")
        translations = list(db.query(
            "select japanese, reading, romaji, canonical from translations where term_key = ? "
            "order by canonical desc, notes_count desc, japanese", [key]))
        if translations:
            japanese = ET.SubElement(entry, "langSec", {XML_LANG: "ja"})
            givers = _givers(db, key)
            for translation in translations:
                _japanese_term(japanese, translation, givers.get(translation["japanese"], []))
        yield entry


def _givers(db: sqlite_utils.Database, key: str) -> dict[str, list[str]]:
    """The notes giving each Japanese alternative of a term, oldest first, as sources (one
    pass over the term's cases)."""
    givers: dict[str, dict[str, None]] = {}
    for variant, citation, url, path in db.execute(_SOURCES, [key]):
        for alternative in variant.split(", "):
            givers.setdefault(alternative, {})[_source_text(citation, url, path)] = None
    return {alternative: list(sources) for alternative, sources in givers.items()}


def _japanese_term(lang_sec: ET.Element, translation: dict, sources: list[str]) -> None:
    term_sec = ET.SubElement(lang_sec, "termSec")
    _child(term_sec, "term", translation["japanese"])
    status = PREFERRED if translation["canonical"] else ADMITTED
    _child(term_sec, "termNote", status, type="administrativeStatus")
    for source in sources:
        _child(term_sec, "admin", source, type="source")
    if translation["reading"]:
        _child(term_sec, "note", _reading_note(translation["reading"], translation["romaji"]))


def write_tbx(db: sqlite_utils.Database, out: TextIO, *, sort: str = "term") -> int:
    """Write the glossary as a TBX-Basic document; returns the number of concept entries."""
    out.write(HEADER)
    count = 0
    for entry in concept_entries(db, sort):
        ET.indent(entry, space="  ", level=3)
        out.write("      " + ET.tostring(entry, encoding="unicode") + "\n")
        count += 1
    out.write(FOOTER)
    return count

"""Export the glossary as CSV, TSV, JSON or TBX text.

Rows are read from the database with plain SQL and written to a text stream one at a time,
so a large glossary never needs to be held as one string. TBX lives in `tbx.py`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

import sqlite_utils

FORMATS = ("csv", "tsv", "json", "tbx")
SORTS = ("term", "reading")
TERM_COLUMNS = [
    "term", "japanese", "reading", "romaji", "glosses", "status", "notes_count", "cases",
]
SOURCE_COLUMNS = ["term", "note", "line", "form", "raw", "japanese", "glosses"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def order_by(sort: str, table: str = "t") -> str:
    """The SQL ORDER BY for a sort: by term, or by hiragana reading (gojūon) then term.

    Hiragana in Unicode follow the gojūon table (あいうえお かきくけこ …), each voiced kana
    right after its plain one, so ordering by code point is gojūon order. Terms without a
    reading go last.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    by_term = f"lower({table}.term), {table}.term, {table}.key"
    if sort == "reading":
        return f"{table}.reading = '', {table}.reading, {by_term}"
    return by_term


def term_rows(db: sqlite_utils.Database, sort: str = "term") -> Iterator[dict]:
    """One row per term, with the citation keys of its cases `; `-joined."""
    sql = f"""
        select t.term, t.japanese, t.reading, t.romaji, t.glosses, t.status, t.notes_count,
               (select group_concat(citation, '; ') from (
                    select distinct coalesce(nullif(n.citation, ''), n.path) as citation
                    from definitions d join notes n on n.path = d.note_path
                    where d.term_key = t.key order by n.date, n.path)) as cases
        from terms t order by {order_by(sort)}"""
    for row in db.query(sql):
        row["cases"] = row["cases"] or ""
        yield row


def source_rows(db: sqlite_utils.Database, sort: str = "term") -> Iterator[dict]:
    """One row per definition found in a note: where each variant came from."""
    sql = f"""
        select t.term, d.note_path as note, d.line, d.form, d.raw, d.japanese, d.glosses
        from definitions d join terms t on t.key = d.term_key
        order by {order_by(sort)}, d.note_path, d.line"""
    yield from db.query(sql)


def neutralize(value: object) -> object:
    """Prefix a quote to text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_delimited(rows: Iterable[dict], columns: list[str], out: TextIO, *,
                    delimiter: str = ",", excel: bool = False) -> int:
    """Write rows as CSV (or another delimiter) with a header; returns the row count."""
    if excel:
        out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        values = [row.get(column, "") for column in columns]
        writer.writerow([neutralize(v) for v in values] if excel else values)
        count += 1
    return count


def _flat(text: str) -> str:
    """One line of TSV-safe text: tabs and line breaks become spaces."""
    return " ".join(text.replace("\t", " ").split())


def tsv_comment(row: dict) -> str:
    """The comment column of the TSV: reading (romaji) and glosses."""
    parts = []
    if row["reading"]:
        parts.append(f"{row['reading']} ({row['romaji']})" if row["romaji"] else row["reading"])
    if row["glosses"]:
        parts.append(row["glosses"])
    return "; ".join(parts)


def write_tsv(rows: Iterable[dict], out: TextIO, *, excel: bool = False) -> int:
    """Write term, Japanese, comment lines for Anki and OmegaT; returns the row count.

    No quoting (neither tool unquotes), so tabs and newlines inside fields become spaces.
    Anki reads the `#separator`/`#html` header lines; OmegaT skips lines starting with `#`.
    Terms without Japanese have nothing to translate to and are left out.
    """
    if excel:
        out.write(BOM)
    out.write("#separator:tab\n#html:false\n")
    count = 0
    for row in rows:
        if not row["japanese"]:
            continue
        fields = [_flat(row["term"]), _flat(row["japanese"]), _flat(tsv_comment(row))]
        if excel:
            fields = [str(neutralize(f)) for f in fields]
        out.write("\t".join(fields) + "\n")
        count += 1
    return count


def term_documents(db: sqlite_utils.Database, sort: str = "term") -> Iterator[dict]:
    """Every term as a JSON-ready dict with its translations and sources."""
    terms = db.query(
        f"select t.* from terms t order by {order_by(sort)}"
    )
    for term in terms:
        key = term["key"]
        translations = list(db.query(
            "select japanese, reading, romaji, notes_count, canonical from translations "
            "where term_key = ? order by canonical desc, notes_count desc, japanese", [key]))
        for translation in translations:
            translation["canonical"] = bool(translation["canonical"])
        sources = list(db.query(
            """select d.note_path as note, n.citation, n.url, d.line, d.form, d.raw,
                      d.japanese, d.glosses
               from definitions d join notes n on n.path = d.note_path
               where d.term_key = ? order by n.date, d.note_path, d.line""", [key]))
        yield {
            "key": key,
            "term": term["term"],
            "japanese": term["japanese"],
            "reading": term["reading"],
            "romaji": term["romaji"],
            "glosses": term["glosses"],
            "status": term["status"],
            "notes_count": term["notes_count"],
            "translations": translations,
            "sources": sources,
        }


def write_json_array(items: Iterable[dict], out: TextIO, *, key: str) -> int:
    """Write `{"<key>": [...]}` one item at a time; returns the item count."""
    out.write("{" + json.dumps(key) + ": [")
    count = 0
    for item in items:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]}\n" if count else "]}\n")
    return count


def export(db: sqlite_utils.Database, out: TextIO, *, fmt: str = "csv", sort: str = "term",
           sources: bool = False, excel: bool = False) -> int:
    """Write the glossary (or, with `sources`, every definition) in a format; returns rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "tbx":
        from .tbx import write_tbx

        return write_tbx(db, out, sort=sort)
    if fmt == "json":
        if sources:
            return write_json_array(source_rows(db, sort), out, key="sources")
        return write_json_array(term_documents(db, sort), out, key="terms")
    if sources:
        delimiter = "\t" if fmt == "tsv" else ","
        return write_delimited(source_rows(db, sort), SOURCE_COLUMNS, out,
                               delimiter=delimiter, excel=excel)
    if fmt == "tsv":
        return write_tsv(term_rows(db, sort), out, excel=excel)
    return write_delimited(term_rows(db, sort), TERM_COLUMNS, out, excel=excel)

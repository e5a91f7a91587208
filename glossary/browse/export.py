"""Export the glossary as CSV, TSV, JSON or TBX text.

Rows are read from the database with plain SQL and written to a text stream one at a time,
so a large glossary never needs to be held as one string. The rows come from `rows.py`;
TBX is written by `tbx.py`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import sqlite_utils

from .rows import SOURCE_COLUMNS, source_objects, source_rows, term_documents, term_rows
from .tbx import write_tbx

FORMATS = ("csv", "tsv", "json", "tbx")
_SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "tsv", ".json": "json", ".tbx": "tbx",
                   ".apkg": "anki"}  # an Anki deck is binary: glossary.browse.anki writes it
TERM_COLUMNS = [
    "term", "japanese", "reading", "romaji", "glosses", "status", "notes_count", "cases",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def format_of(path: str) -> str | None:
    """The format a file name asks for by its suffix: CSV for no suffix and for `-`
    (stdout), None for a suffix gloss cannot write (`.xlsx`: CSV in it would mislead)."""
    suffix = Path(path).suffix.lower() if path != "-" else ""
    return _SUFFIX_FORMATS.get(suffix) if suffix else "csv"


def written_suffixes() -> str:
    """The suffixes gloss writes, for a message: `.csv, .tsv, .txt, .json, .tbx, .apkg`."""
    return ", ".join(_SUFFIX_FORMATS)


def neutralize(value: object) -> object:
    """Prefix a quote to text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_delimited(rows: Iterable[dict | tuple], columns: list[str], out: TextIO, *,
                    delimiter: str = ",", excel: bool = False) -> int:
    """Write rows (dicts, or tuples in the order of `columns`) as CSV (or another
    delimiter) with a header; returns the row count."""
    if excel:
        out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    count = 0

    def values() -> Iterable[list | tuple]:
        nonlocal count
        for row in rows:
            count += 1
            cells = row if isinstance(row, tuple) else [row.get(c, "") for c in columns]
            yield [neutralize(v) for v in cells] if excel else cells

    writer.writerows(values())
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


def write_json_array(items: Iterable[str], out: TextIO, *, key: str) -> int:
    """Write `{"<key>": [...]}` from items given as JSON text; returns the item count."""
    out.write("{" + json.dumps(key) + ": [")
    count = 0
    for item in items:
        out.write(",\n  " if count else "\n  ")
        out.write(item)
        count += 1
    out.write("\n]}\n" if count else "]}\n")
    return count


def write_term_documents(documents: Iterable[tuple[dict, Iterable[tuple[str]]]],
                         out: TextIO) -> int:
    """Write `{"terms": [...]}`, each term with its `sources` (JSON objects) streamed;
    returns the terms."""
    out.write('{"terms": [')
    count = 0
    for head, sources in documents:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "sources": [')
        for number, (source,) in enumerate(sources):
            out.write(", " + source if number else source)
        out.write("]}")
        count += 1
    out.write("\n]}\n" if count else "]}\n")
    return count


def export(db: sqlite_utils.Database, out: TextIO, *, fmt: str = "csv", sort: str = "term",
           sources: bool = False, excel: bool = False) -> int:
    """Write the glossary (or, with `sources`, every definition) in a format; returns rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "tbx":
        return write_tbx(db, out, sort=sort)
    if fmt == "json":
        if sources:
            return write_json_array(source_objects(db, sort), out, key="sources")
        return write_term_documents(term_documents(db, sort), out)
    if sources:
        delimiter = "\t" if fmt == "tsv" else ","
        return write_delimited(source_rows(db, sort), list(SOURCE_COLUMNS), out,
                               delimiter=delimiter, excel=excel)
    if fmt == "tsv":
        return write_tsv(term_rows(db, sort, cases=False), out, excel=excel)
    return write_delimited(term_rows(db, sort), TERM_COLUMNS, out, excel=excel)

"""Export the glossary as CSV, TSV, JSON or TBX text.

Rows are read from the database with plain SQL and written to a text stream one at a time,
so a large glossary never needs to be held as one string. The rows come from `rows.py`;
TBX is written by `tbx.py`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

import sqlite_utils

from .halves import Layout, RunWriter, second_half, write_term_by_term
from .rows import (
    SOURCE_COLUMNS,
    source_objects,
    source_rows,
    term_documents,
    term_rows,
)
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


def delimited_head(columns: Sequence[str], *, delimiter: str = ",", excel: bool = False
                   ) -> str:
    """The header line of a CSV (or other delimiter), after a byte-order mark for `excel`."""
    head = io.StringIO()
    csv.writer(head, delimiter=delimiter, lineterminator=_line_end(excel)).writerow(columns)
    return (BOM if excel else "") + head.getvalue()


def _line_end(excel: bool) -> str:
    return "\r\n" if excel else "\n"


def write_rows(batches: Iterable[Sequence[Sequence]], out: TextIO, *, delimiter: str = ",",
               excel: bool = False, before: str = "") -> int:
    """Write rows (tuples, given in batches) as CSV lines (or another delimiter), `before`
    ahead of the first; returns the row count."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator=_line_end(excel))
    count = 0
    for batch in batches:
        if not count and batch:
            out.write(before)
        writer.writerows([[neutralize(v) for v in row] for row in batch] if excel else batch)
        count += len(batch)
    return count


def write_delimited(batches: Iterable[Sequence[Sequence]], columns: Sequence[str],
                    out: TextIO, *, delimiter: str = ",", excel: bool = False) -> int:
    """Write rows (tuples in the order of `columns`, given in batches) as CSV (or another
    delimiter) with a header; returns the row count."""
    out.write(delimited_head(columns, delimiter=delimiter, excel=excel))
    return write_rows(batches, out, delimiter=delimiter, excel=excel)


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


def _write_joined(batches: Iterable[Sequence[tuple[str]]], out: TextIO, separator: str,
                  lead: str = "") -> int:
    """Write JSON texts (1-tuples, in batches) `separator`-joined, `lead` before the first;
    returns how many."""
    count = 0
    for batch in batches:
        out.write((separator if count else lead) + separator.join([text for (text,) in batch]))
        count += len(batch)
    return count


def _write_documents(documents: Iterable[tuple[dict, Iterable[Sequence[tuple[str]]]]],
                    out: TextIO, before: str) -> int:
    """Write each term as a JSON object with its `sources` (JSON objects, in batches)
    streamed, `,\\n  `-joined, `before` ahead of the first; returns the terms."""
    count = 0
    for head, sources in documents:
        out.write(",\n  " if count else before)
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "sources": [')
        _write_joined(sources, out, ", ")
        out.write("]}")
        count += 1
    return count


def _json_tail(count: int) -> str:
    return "\n]}\n" if count else "]}\n"


def every_definition(fmt: str, sources: bool, excel: bool) -> tuple[Layout, RunWriter] | None:
    """How an export that writes every definition (JSON, and --sources in any format) is
    laid out and written run by run, so that two processes may share it (glossary.browse.
    halves); None for the others, which write a row per term."""
    if fmt == "json" and sources:
        return Layout('{"sources": [', "\n  ", ",\n  ", _json_tail), (
            lambda db, sort, bounds, out, before: _write_joined(
                source_objects(db, sort, bounds), out, ",\n  ", before))
    if fmt == "json":
        return Layout('{"terms": [', "\n  ", ",\n  ", _json_tail), (
            lambda db, sort, bounds, out, before: _write_documents(
                term_documents(db, sort, bounds), out, before))
    if sources and fmt in ("csv", "tsv"):
        delimiter = "\t" if fmt == "tsv" else ","
        head = delimited_head(SOURCE_COLUMNS, delimiter=delimiter, excel=excel)
        return Layout(head, "", "", lambda count: ""), (
            lambda db, sort, bounds, out, before: write_rows(
                source_rows(db, sort, bounds), out, delimiter=delimiter, excel=excel,
                before=before))
    return None


def export(db: sqlite_utils.Database, out: TextIO, *, fmt: str = "csv", sort: str = "term",
           sources: bool = False, excel: bool = False) -> int:
    """Write the glossary (or, with `sources`, every definition) in a format; returns rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "tbx":
        return write_tbx(db, out, sort=sort)
    heavy = every_definition(fmt, sources, excel)
    if heavy:
        return write_term_by_term(db, out, sort, *heavy,
                                  spec={"fmt": fmt, "sources": sources, "excel": excel})
    if fmt == "tsv":
        return write_tsv(term_rows(db, sort, cases=False), out, excel=excel)
    rows = ([tuple(row[column] for column in TERM_COLUMNS)] for row in term_rows(db, sort))
    return write_delimited(rows, TERM_COLUMNS, out, excel=excel)


if __name__ == "__main__":  # the second process of an export shared by two (halves.py)
    second_half(json.loads(sys.argv[1]), every_definition)

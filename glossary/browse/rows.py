"""The glossary's rows as the exports read them: one per term, one per definition, and each
term as a document with its translations and sources, in the order asked for."""

from __future__ import annotations

from collections.abc import Iterator

import sqlite_utils

SORTS = ("term", "reading")


def order_by(sort: str, table: str = "t") -> str:
    """The SQL ORDER BY for a sort: by term (case set aside), or in gojūon order of the
    reading (glossary.readings.collation; terms without a reading last), then by term."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    by_term = f"lower({table}.term), {table}.term, {table}.key"
    if sort == "reading":
        return f"{table}.reading_key, {by_term}"
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

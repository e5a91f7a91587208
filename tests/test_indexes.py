"""Every query gloss and its browse views run is served by an index (EXPLAIN QUERY PLAN).

The queries are those of glossary/*.py, the views of store.py and the canned queries of
metadata.json, plus what Datasette runs to browse the tables metadata.json describes: the
first and next page in the declared sort, the declared facets and a click on one of their
values, the foreign-key lookups of a row page, and the labels of linked rows. Datasette's
facet *suggestions* (a `group by` over every column, cut off after 50 ms) are left out.

A full scan of a big table fails unless ALLOWED says why it is inherent: a plain `SCAN t`,
or a walk in index order ("SCAN t USING INDEX i") that no LIMIT stops. A scan of a covering
index is fine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary.browse.rows import order_by
from glossary.browse.serve import load_metadata
from glossary.db import open_db
from glossary.harvest import harvest
from glossary.readings.cache import engine_version

NOTES = Path(__file__).resolve().parents[1] / "notes"
BIG = {"notes", "definitions", "occurrences", "translations", "terms"}
ALIASES = {"t": "terms", "d": "definitions", "n": "notes", "o": "occurrences", "tr": "translations"}

# Real values from the bundled notes (checked by the fixture), bound by name.
PARAMS = {
    "key": "flank", "key2": "syncope", "term": "Flank", "japanese": "側腹部", "q": "石灰",
    "fts": '"calcinosis"', "path": "NEJM/IiCM/2024-01-11_62M.md", "collection": "NEJM/IiCM",
    "status": "conflict", "form": "link", "forms": "list,link", "date": "2024-01-11", "id": 1,
    "size": 1, "mtime": 1, "version": engine_version(),
}
TERMS = "select key, term, japanese, reading, romaji, glosses, status, notes_count from terms"
DEFS = "select id, term_key, note_path, line, form, label, raw, japanese from definitions"
NOTE_ROWS = "select path, title, citation, url, date, collection from notes"
CANNED = load_metadata()["databases"]["glossary"]["queries"]
CASES = "select term, japanese, title, url, note_path, date, line, forms, term_key from term_cases"

QUERIES = [
    # harvest (harvest.py, store.py, reading_cache.py)
    ("known notes", "select path, size, mtime_ns, sha256 from notes"),
    ("keys of a note", "select distinct term_key from definitions where note_path = :path"),
    ("remove definitions", "delete from definitions where note_path = :path"),
    ("remove occurrences", "delete from occurrences where note_path = :path"),
    ("remove note", "delete from notes where path = :path"),
    ("touch note", "update notes set size = :size, mtime_ns = :mtime where path = :path"),
    ("votes of a few terms", """select d.note_path, d.term_key, d.label,
               d.japanese, d.glosses, d.line
        from definitions d where d.term_key in (select key from temp.refresh_keys)
        order by d.note_path"""),
    ("votes of most terms", """select d.note_path, d.term_key, d.label,
               d.japanese, d.glosses, d.line
        from definitions d where +d.term_key in (select key from temp.refresh_keys)
        order by d.note_path"""),
    ("note dates", "select path, coalesce(date, '') from notes"),
    ("pins", "select term_key, definition from pinned_definitions"),
    ("drop translations", "delete from translations where term_key in (:key, :key2)"),
    ("drop terms", "delete from terms where key in (:key, :key2)"),
    ("written readings",
     "select japanese, written_reading from definitions where written_reading != ''"),
    ("cached readings", "select japanese, reading, romaji from readings "
                        "where engine_version = :version and japanese in (:japanese)"),
    ("note count", "select count(*) from notes"),
    ("status counts", "select status, count(*) from terms group by status"),
    # apply, pin, show, conflicts, readings (apply.py, decisions.py, cli.py)
    ("canonical texts", "select key, japanese, glosses, status from terms"),
    ("notes needing rewrite", """select n.path from notes n where exists (
        select 1 from definitions d join terms t on t.key = d.term_key
        where d.note_path = n.path
          and t.status != 'undefined' and (t.japanese != '' or t.glosses != '')
          and case when d.japanese != '' then d.japanese else d.glosses end
           != case when t.japanese != '' then t.japanese else t.glosses end)"""),
    ("held structure", "select structure from notes where path = :path"),
    ("held definitions", "select label, line, form, raw, span_start from definitions "
                         "where note_path = :path order by line, form"),
    ("rewritten definition", "update definitions set raw = :q where note_path = :path "
                             "and line = :id and form = :form"),
    ("unpin", "delete from pinned_definitions where term_key = :key"),
    ("terms of a japanese", "select term_key from translations where japanese = :japanese"),
    ("conflict keys",
     "select key from terms where status = 'conflict' order by term collate nocase"),
    ("story term", f"{TERMS} where key = :key"),
    ("story definitions", "select japanese, glosses, note_path from definitions "
                          "where term_key = :key order by note_path, line"),
    ("story occurrences", "select note_path, line, context from occurrences "
                          "where term_key = :key order by note_path, line"),
    ("pinned readings", "select japanese, reading from pinned_readings"),
    # export (export.py, tbx.py), both sorts
    *[(f"export terms by {sort}", f"""
        select t.term, (select group_concat(citation, '; ') from (
            select distinct coalesce(nullif(n.citation, ''), n.path) as citation
            from definitions d join notes n on n.path = d.note_path
            where d.term_key = t.key order by n.date, n.path)) as cases
        from terms t order by {order_by(sort)}""") for sort in ("term", "reading")],
    ("export sources", f"""select t.term, d.note_path, d.line, d.raw from definitions d
        join terms t on t.key = d.term_key order by {order_by("term")}, d.note_path, d.line"""),
    ("export translations", "select japanese, reading, romaji, notes_count, canonical "
     "from translations where term_key = :key order by canonical desc, notes_count desc, japanese"),
    ("export term sources", """select d.note_path, n.citation, n.url, d.line from definitions d
        join notes n on n.path = d.note_path where d.term_key = :key
        order by n.date, d.note_path, d.line"""),
    ("tbx terms", f"select t.* from terms t where t.japanese != '' or t.glosses != '' "
                  f"order by {order_by('term')}"),
    ("tbx context", """select o.context, n.citation, n.url, n.path from occurrences o
        join notes n on n.path = o.note_path where o.term_key = :key and o.context != ''
        order by n.date, o.note_path, o.line limit 1"""),
    ("tbx sources", """select distinct n.citation, n.url, n.path from definitions d
        join notes n on n.path = d.note_path where d.term_key = :key
        and (',' || replace(d.japanese, ', ', ',') || ',') like '%,' || :japanese || ',%'
        order by n.date, n.path"""),
    # views (store.py _VIEWS), as Datasette lists them, and their facets
    *[(f"view {view}", f"select * from {view} limit 101") for view in (
        "conflicts", "undefined", "term_cases", "conflict_variants", "undefined_cases",
        "glossary_gojuon")],
    ("view term_cases: facet forms", f"select forms, count(*) from ({CASES}) group by forms"),
    ("view term_cases: forms=", f"{CASES} where forms = :forms limit 101"),
    ("view glossary_gojuon: facet status",
     "select status, count(*) from (select * from glossary_gojuon) group by status"),
    ("view glossary_gojuon: status=", "select * from glossary_gojuon where status = :status"),
    # canned queries (metadata.json)
    *[(f"canned {name}", query["sql"]) for name, query in CANNED.items()],
    # Datasette browsing the tables: sort, next page, facets, filters, row pages
    ("terms: page", f"{TERMS} order by term limit 101"),
    ("terms: next page", f"{TERMS} where (term > :term or (term = :term and key > :key)) "
                         "order by term, key limit 101"),
    ("terms: facet status", "select status, count(*) from terms group by status"),
    ("terms: status=", f"{TERMS} where status = :status order by term limit 101"),
    ("terms: _search", f"{TERMS} where rowid in (select rowid from terms_fts "
                       "where terms_fts match :fts) order by term limit 101"),
    ("terms: row", "select * from terms where key = :key"),
    ("terms: row links", """select (select count(*) from definitions where term_key = :key),
        (select count(*) from translations where term_key = :key),
        (select count(*) from occurrences where term_key = :key)"""),
    ("terms: labels", "select key, term from terms where key in (:key, :key2)"),
    ("notes: page", f"{NOTE_ROWS} order by date desc limit 101"),
    ("notes: next page", f"{NOTE_ROWS} where (date < :date or (date = :date and path > :path)) "
                         "order by date desc, path limit 101"),
    ("notes: facet collection", "select collection, count(*) from notes group by collection"),
    ("notes: collection=", f"{NOTE_ROWS} where collection = :collection "
                           "order by date desc limit 101"),
    ("notes: row", "select * from notes where path = :path"),
    ("notes: row links", """select (select count(*) from definitions where note_path = :path),
        (select count(*) from occurrences where note_path = :path)"""),
    ("notes: labels", "select path, title from notes where path in (:path)"),
    ("definitions: page", f"{DEFS} order by term_key limit 101"),
    ("definitions: next page", f"{DEFS} where (term_key > :key or (term_key = :key "
                               "and id > :id)) order by term_key, id limit 101"),
    ("definitions: facet form", "select form, count(*) from definitions group by form"),
    ("definitions: form=", f"{DEFS} where form = :form order by term_key limit 101"),
    ("definitions: count form=", "select count(*) from definitions where form = :form"),
    ("definitions: term_key=", f"{DEFS} where term_key = :key order by term_key limit 101"),
    ("definitions: note_path=", f"{DEFS} where note_path = :path order by term_key limit 101"),
    ("definitions: row", "select * from definitions where id = :id"),
    ("translations: page", "select * from translations order by term_key limit 101"),
    ("translations: term_key=", "select * from translations where term_key = :key"),
    ("occurrences: page", "select * from occurrences order by term_key limit 101"),
    ("occurrences: term_key=", "select * from occurrences where term_key = :key "
                               "order by term_key limit 101"),
    ("occurrences: note_path=", "select * from occurrences where note_path = :path "
                                "order by term_key limit 101"),
]

# (query, table): why reading the whole table is the point of the query.
ALLOWED = {
    ("known notes", "notes"): "a harvest compares every note's fingerprint with its file",
    ("votes of most terms", "definitions"): "recounting most terms reads most definitions",
    ("note dates", "notes"): "recounting terms dates their votes by note",
    ("canonical texts", "terms"): "apply rewrites the notes against the whole glossary",
    ("notes needing rewrite", "notes"): "apply looks at every note's definitions",
    ("export terms by term", "terms"): "an export writes every term",
    ("export terms by reading", "terms"): "an export writes every term",
    ("export sources", "definitions"): "an export of sources writes every definition",
    ("tbx terms", "terms"): "TBX writes every term with a translation or a gloss",
    ("view term_cases", "definitions"): "the view lists every definition with its note",
    ("view term_cases: facet forms", "definitions"): "a facet counts the whole view",
    ("view term_cases: forms=", "definitions"): "forms is a group_concat, known once grouped",
    ("view glossary_gojuon: facet status", "terms"): "a facet counts the whole view",
    ("canned gojuon", "terms"): "lists every term with a reading, in reading order",
    ("canned search", "terms"): "instr() finds parts of a word, which no index can",
    ("canned search", "translations"): "instr() finds parts of a word, which no index can",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("indexes") / "glossary.db")
    assert harvest([NOTES], db).problems == {}
    assert db.execute("select 1 from definitions d join translations tr on tr.term_key = "
                      "d.term_key where d.term_key = :key and d.note_path = :path and "
                      "tr.japanese = :japanese and d.form = :form", PARAMS).fetchone()
    assert db.execute("select 1 from terms where key = :key2 and status = :status",
                      PARAMS).fetchone()
    db.execute("create temp table if not exists refresh_keys (key text primary key)")
    db.execute("insert or ignore into temp.refresh_keys values (:key), (:key2)", PARAMS)
    return db


def full_scans(db, sql: str) -> list[str]:
    """The big tables the plan reads from end to end: without an index, or in the order of
    a non-covering index when no LIMIT stops it (an index that sorts but does not search)."""
    plan = db.execute(f"explain query plan {sql}", PARAMS).fetchall()
    ordered = "" if re.search(r"\blimit\b", sql, re.I) else r"(?: USING INDEX \w+)?"
    scanned = [re.fullmatch(rf"SCAN (?:TABLE )?(\w+)(?: AS \w+)?{ordered}", row[3]) for row in plan]
    tables = [ALIASES.get(m[1], m[1]) for m in scanned if m]
    return [table for table in tables if table in BIG]


def test_a_rewritten_definition_is_found_by_its_note_and_line(db) -> None:
    sql = dict(QUERIES)["rewritten definition"]
    (plan,) = [row[3] for row in db.execute(f"explain query plan {sql}", PARAMS)]
    assert "(note_path=? AND line=?)" in plan, plan


@pytest.mark.parametrize("name, sql", QUERIES, ids=[name for name, _ in QUERIES])
def test_query_is_served_by_an_index(db, name: str, sql: str) -> None:
    plan = [row[3] for row in db.execute(f"explain query plan {sql}", PARAMS)]
    unexplained = [t for t in full_scans(db, sql) if (name, t) not in ALLOWED]
    assert not unexplained, f"{name}: full scan of {unexplained} (no index serves it): {plan}"


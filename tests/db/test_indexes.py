"""Every statement gloss runs is served by an index (EXPLAIN QUERY PLAN), checked on the SQL
gloss really runs, recorded as it runs, not on copies of it.

Every connection gloss opens is traced while the bundled notes go through a cold harvest, a
harvest after one note changed and one disappeared, pins, `conflicts`, `show`, `reading`,
apply, every export; then a real Datasette over the glossary is walked page by page: home,
database, every table and view the metadata describes (first and next page, each declared
facet and a click on its first value, a row page), the search box of the home page and of
the terms table, gloss's term pages, and every canned query.
Datasette's facet *suggestions* (a `group by` over every column) are off, as gloss serve
has them.

A full scan of a big table fails unless ALLOWED says why it is inherent: a plain `SCAN t`,
or a walk in index order ("SCAN t USING INDEX i") that no LIMIT stops. A scan of a covering
index is fine.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType
from urllib.parse import quote, urlencode

import pytest
from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils import tilde_encode

import glossary.db.open as opening
from glossary.browse.serve import load_metadata, make_datasette
from glossary.notes.text import definition_text
from glossary.terms import lookup

BIG = {"notes", "definitions", "occurrences", "translations", "terms"}
# Not queries of the glossary's tables: transaction control, schema changes, and the
# statements SQLite runs inside FTS5 and triggers (traced behind "--").
_SKIPPED = re.compile(r"^\s*(?:--|(?:pragma|begin|commit|rollback|savepoint|release|create|"
                      r"drop|alter|explain|analyze|vacuum|insert or replace into gloss_meta)\b)",
                      re.IGNORECASE)
_SCHEMA = re.compile(r"\bsqlite_(?:master|schema|temp_master)\b|\bpragma_\w+\(",
                     re.IGNORECASE)

# (pattern over the normalized statement, table): why reading the whole table is the point.
ALLOWED = [
    (r"^select path, size, mtime_ns, sha256 from notes$", "notes",
     "a harvest compares every note's size and time with its file"),
    (r"^select d\.note_path, d\.term_key, .* where \+d\.term_key in \(select key from temp",
     "definitions", "recounting most terms reads most definitions, in note order"),
    (r"^select key, term from terms$", "terms",
     "did-you-mean compares the word typed with every term"),
    (r"^select key, japanese, glosses, status, tie from terms$", "terms",
     "apply rewrites the notes against the whole glossary"),
    (r"^select t\.term, t\.japanese, t\.reading, .*from terms t order by", "terms",
     "an export writes every term"),
    (r"^select t\.\* from terms t", "terms", "an export writes every term"),
    (r"^select (t\.reading_key, )?t\.key, t\.notes_count from terms t order by", "terms",
     "an export that writes every definition halves the terms by their notes"),
    (r"^select t\.key, t\.term\b.* from terms t (where .* )?order by", "terms",
     "an export writes every term"),
    (r"from \[?glossary_gojuon\]?", "terms", "the gojuon view lists every term with a reading"),
    (r"^select reading, .* from terms where reading != \? order by reading_key", "terms",
     "the gojuon query lists every term with a reading, in gojuon order"),
]


def normalized(sql: str) -> str:
    """The statement with its literal values as `?`: one entry for every run of it."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\(\s*\?(?:\s*,\s*\?)+\s*\)", "(?)", sql)
    return " ".join(sql.split())


class Recorder:
    """Every statement run on the connections it traces, by normalized form (first run kept)."""

    def __init__(self) -> None:
        self.statements: dict[str, tuple[str, str]] = {}
        self.origin = ""

    def trace(self, conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(self.record)

    def record(self, sql: str) -> None:
        if _SKIPPED.match(sql) or _SCHEMA.search(sql):
            return
        self.statements.setdefault(normalized(sql), (sql, self.origin))


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, bundled_notes) -> tuple[Path, Recorder]:
    from click.testing import CliRunner

    from glossary.cli import cli

    root = tmp_path_factory.mktemp("indexes")
    notes = root / "notes"
    shutil.copytree(bundled_notes, notes)
    db = root / "glossary.db"
    recorder = Recorder()
    real_connect = sqlite3.connect

    def traced_connect(*args, **kwargs) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        if Path(args[0]) == db:  # the glossary, not the collection of an Anki deck
            recorder.trace(conn)
        return conn

    def gloss(*args: str) -> None:
        recorder.origin = f"gloss {args[0]}"
        result = CliRunner().invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code in (0, 1) or args == ("show", "flnak"), result.output

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opening.sqlite3, "connect", traced_connect)
        gloss("harvest", str(notes))
        changed = sorted(notes.rglob("*.md"))
        changed[0].write_text(changed[0].read_text(encoding="utf-8") + "\nOne more line.\n",
                              encoding="utf-8")
        changed[1].unlink()
        gloss("harvest", str(notes))
        for note in notes.rglob("*.md"):  # most notes change: most terms are recounted
            note.write_text(note.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        gloss("harvest", str(notes))
        gloss("prefer", "flank", "横腹")
        gloss("reading", "圧痛", "あっつう")
        gloss("conflicts")
        gloss("show", "flank")
        gloss("show", "そくふくぶ")
        gloss("show", "flnak")
        gloss("reading", "圧痛")
        gloss("apply", str(notes), "--check")
        gloss("apply", str(notes))
        for fmt in ("csv", "tsv", "json", "tbx"):
            for sort in ("term", "reading"):
                gloss("export", str(root / f"out.{fmt}"), "--sort", sort)
        gloss("export", str(root / "sources.csv"), "--sources")
        gloss("export", str(root / "sources.json"), "--sources")
        gloss("export", str(root / "deck.apkg"), "--collection", "NEJM", "--since", "2019-01-01")
        gloss("prefer", "--unpin", "flank")
        gloss("reading", "--unpin", "圧痛")
    _walk_datasette(db, recorder)
    return db, recorder


def _walk_datasette(db: Path, recorder: Recorder) -> None:
    plugin = ModuleType("test_indexes_tracer")  # Datasette's plugins are modules

    @hookimpl
    def prepare_connection(conn: sqlite3.Connection, database: str) -> None:
        if database == db.stem:  # not Datasette's own internal database
            recorder.trace(conn)

    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    pm.register(plugin, name="test-indexes-tracer")
    try:
        datasette = make_datasette(db)  # as gloss serves it: no facet suggestions
        asyncio.run(_walk(datasette, recorder))
    finally:
        pm.unregister(plugin, name="test-indexes-tracer")


async def _walk(datasette, recorder: Recorder) -> None:
    recorder.origin = "datasette"
    metadata = load_metadata()["databases"]["glossary"]

    async def get(path: str) -> dict | None:
        response = await datasette.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json() if ".json" in path else None

    await get("/")
    await get("/?" + urlencode({"q": "sokufukubu"}))
    await get("/glossary")
    for table, described in metadata["tables"].items():
        page = await get(f"/glossary/{table}.json?_shape=objects")
        if page.get("next"):
            await get(f"/glossary/{table}.json?_next={quote(str(page['next']))}")
        await get(f"/glossary/{table}")
        for column in described.get("facets", []):
            faceted = await get(f"/glossary/{table}.json?_facet={column}")
            values = faceted["facet_results"][column]["results"]
            if values:
                query = urlencode({column: values[0]["value"]})
                await get(f"/glossary/{table}?{query}")
        rows = page["rows"]
        if rows and page.get("primary_keys"):
            key = ",".join(tilde_encode(str(rows[0][pk])) for pk in page["primary_keys"])
            await get(f"/glossary/{table}/{key}")
    await get("/glossary/terms?" + urlencode({"_search": "calcinosis"}))
    await get("/glossary/terms?" + urlencode({"_search": "腹"}))
    await get("/glossary/notes?_internal=1")
    for key in ("flank", "syncope", "osmotic demyelination syndrome"):  # gloss's term pages
        await get(f"/glossary/terms/{tilde_encode(key)}")
    await get("/glossary/term_cases?" + urlencode({"term_key": "flank", "_sort_desc": "date"}))
    for name, query in metadata.get("queries", {}).items():
        params = {p: {"term": "flank", "q": "腹"}.get(p, "flank")
                  for p in query.get("params", [])}
        await get(f"/glossary/{name}?" + urlencode(params))


def full_scans(conn: sqlite3.Connection, sql: str) -> tuple[list[str], list[str]]:
    """The big tables the plan reads from end to end (without an index, or in the order of a
    non-covering index when no LIMIT stops it), and the plan."""
    plan = [row[3] for row in conn.execute(f"explain query plan {sql}")]
    ordered = "" if re.search(r"\blimit\b", sql, re.I) else r"(?: USING INDEX \w+)?"
    views = " ".join(sql for (sql,) in conn.execute(
        "select sql from sqlite_master where type = 'view'"))  # the aliases inside views
    aliases = {alias: table for table, alias in re.findall(
        r"\b(?:from|join)\s+\[?(\w+)\]?\s+(?:as\s+)?(\w+)\b", f"{views} {sql}", re.I)}
    scanned = [re.fullmatch(rf"SCAN (?:TABLE )?(\w+)(?: AS \w+)?{ordered}", row) for row in plan]
    tables = [aliases.get(m[1], m[1]) for m in scanned if m]
    return [table for table in tables if table in BIG], plan


@pytest.fixture(scope="module")
def scans(recorded) -> tuple[list[str], dict[int, int]]:
    """(what no ALLOWED entry excuses, how many scans each ALLOWED entry excuses)."""
    db, recorder = recorded
    conn = sqlite3.connect(db)
    conn.execute("create temp table if not exists refresh_keys (key text primary key)")
    conn.execute("create temp table if not exists list_keys (key text primary key)")
    conn.create_function("definition_text", 2, definition_text, deterministic=True)
    lookup.register(conn)
    unexplained: list[str] = []
    excused = dict.fromkeys(range(len(ALLOWED)), 0)
    for statement, (sql, origin) in sorted(recorder.statements.items()):
        try:
            tables, plan = full_scans(conn, sql)
        except sqlite3.OperationalError as error:
            unexplained.append(f"{origin}: cannot explain ({error}): {statement}")
            continue
        for table in tables:
            reasons = [i for i, (pattern, t, _) in enumerate(ALLOWED)
                       if t == table and re.search(pattern, statement, re.I)]
            for i in reasons:
                excused[i] += 1
            if not reasons:
                unexplained.append(f"{origin}: full scan of {table}: {statement}\n"
                                   f"    plan: {plan}")
    return unexplained, excused


def test_the_walk_ran_what_it_should(recorded) -> None:
    _, recorder = recorded
    origins = {origin for _, origin in recorder.statements.values()}
    assert {"gloss harvest", "gloss apply", "gloss export", "datasette"} <= origins
    assert len(recorder.statements) > 100


def test_every_statement_gloss_runs_is_served_by_an_index(scans) -> None:
    unexplained, _ = scans
    assert not unexplained, "\n".join(unexplained)


def test_every_allowed_scan_is_still_run(scans) -> None:
    """An ALLOWED entry that excuses no scan gloss runs is a stale excuse: remove it."""
    _, excused = scans
    stale = [ALLOWED[i] for i, count in excused.items() if not count]
    assert not stale, "\n".join(map(str, stale))


def test_a_rewritten_definition_is_found_by_its_note_and_line(recorded) -> None:
    db, recorder = recorded
    conn = sqlite3.connect(db)
    [sql] = [sql for statement, (sql, _) in recorder.statements.items()
             if statement.startswith("update definitions set")]
    (plan,) = [row[3] for row in conn.execute(f"explain query plan {sql}")]
    assert "(note_path=? AND line=?)" in plan, plan


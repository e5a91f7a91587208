"""Facts of the real notes in ../shared/corpus/physician (skipped when that folder is absent)."""

import sqlite3

import pytest

from glossary.db import open_db
from glossary.harvest import harvest
from glossary.terms import recount


@pytest.fixture(scope="module")
def glossary(physician_glossary) -> sqlite3.Connection:
    conn = sqlite3.connect(physician_glossary)
    yield conn
    conn.close()


def one(conn, sql, *args):
    return conn.execute(sql, args).fetchone()


def test_every_markdown_file_is_a_note(glossary, physician):
    assert one(glossary, "select count(*) from notes") == (len(list(physician.rglob("*.md"))),)


def test_flank_is_a_conflict_between_two_notes(glossary):
    assert one(glossary, "select status, variants_count from terms where key = 'flank'") == (
        "conflict", 2)
    variants = glossary.execute(
        "select distinct japanese, note_path from definitions where term_key = 'flank'"
    ).fetchall()
    assert {note for _, note in variants} == {
        "NEJM/IiCM/2019-05-16_51F.md", "NEJM/IiCM/2019-06-20_48M.md"}
    assert {japanese for japanese, _ in variants} == {"横腹, 脇腹", "側腹部, 脇腹"}


def test_quadrant_is_shadowed_in_commonmark_but_not_lost(glossary):
    assert one(glossary, "select japanese, status from terms where key = 'quadrant'") == (
        "象限", "ok")
    forms = glossary.execute(
        "select form from definitions where term_key = 'quadrant' order by line").fetchall()
    assert forms == [("list",), ("link",)]


def test_undefined_terms(glossary):
    assert one(glossary, "select status from terms where term = 'T-cell prolymphocytic leukemia'"
               ) == ("undefined",)
    assert one(glossary, "select status from terms where key = 'tender'") == ("undefined",)


def test_no_citation_figure_panel_or_contents_label_is_a_term(glossary):
    keys = {row[0] for row in glossary.execute("select key from terms")}
    citations = {row[0].casefold() for row in glossary.execute("select citation from notes")}
    assert keys.isdisjoint(citations - {""})
    assert keys.isdisjoint({"fig", "fig020", "fig021a", "panel a", "panel b", "terminology",
                            "2019-05", "1_02", "shumez", "vid"})
    assert not any(key.startswith("2019_") for key in keys)


def test_misspelt_terminology_fragment_still_defines(glossary):
    assert one(glossary, "select japanese from terms where key = 'nonbloody'") == ("非出血性",)


def test_remarks_pronunciations_and_glosses(glossary):
    assert one(glossary, "select japanese, remark from definitions where term_key = 'proglottid' "
                         "and form = 'link'") == ("片節", "サナダムシなどの多節条虫の分節")
    assert one(glossary, "select pronunciation from definitions where term_key = 'pruritus' "
                         "and form = 'link'") == ("pro͞oˈrītəs",)
    assert one(glossary, "select glosses, status from terms where key = 'dysuria'") == (
        "difficult urination", "ok")


def test_cases_and_occurrences(glossary):
    assert one(glossary, "select date, age, sex, doi from notes "
                         "where path = 'NEJM/IiCM/2019-05-23_39wM.md'") == (
        "2019-05-23", "39 weeks", "M", "10.1056/NEJMicm1811998")
    (context,) = one(glossary, "select context from occurrences where term_key = 'innumerable'")
    assert context.startswith("Innumerable cysts were found")


def test_medical_readings(glossary):
    reading = one(glossary, "select reading from terms where key = 'dextrocardia'")
    assert reading == ("うきょうしん",)
    assert one(glossary, "select reading from terms where key = 'flank'") == (
        "そくふくぶ, わきばら",)


def test_a_first_harvest_counts_terms_as_a_refresh_from_the_database_would(tmp_path, physician):
    db = open_db(tmp_path / "glossary.db")
    harvest([physician], db)
    tables = ("terms", "translations")
    streamed = [db.execute(f"select * from {t} order by 1, 2").fetchall() for t in tables]
    with db.atomic():
        recount(db, {key for key, *_ in streamed[0]})
    assert [db.execute(f"select * from {t} order by 1, 2").fetchall() for t in tables] == streamed
    assert len(streamed[0]) == 110

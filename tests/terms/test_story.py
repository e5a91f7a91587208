"""A term's story and what it stands on: the lists kept per term (kept right by every
harvest, pin and apply), the search's folding, `gloss show` and `gloss conflicts`."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from glossary.db import open_db
from glossary.harvest import harvest
from glossary.terms import find_terms, search, story
from glossary.terms.lists import LIST_TABLES
from glossary.terms.lookup import kana_form, romaji_form, search_form, term_forms

FLANK = "NEJM/IiCM/2024-01-11_62M.md"


def contents(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of the kept lists (and the terms), in a fixed order."""
    with sqlite3.connect(db_path) as conn:
        return {table: sorted(conn.execute(f"select * from {table}").fetchall())
                for table in (*LIST_TABLES, "terms", "translations")}


def test_kept_lists_equal_a_fresh_harvest_after_edits_pins_and_apply(
        tmp_path: Path, bundled_notes: Path, gloss) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(bundled_notes, notes)
    db = str(tmp_path / "g.db")
    assert gloss("harvest", str(notes), "--db", db).exit_code == 0
    flank = notes / FLANK
    flank.write_text(flank.read_text(encoding="utf-8").replace('"側腹部, 脇腹"', '"横腹"'),
                     encoding="utf-8")
    sorted(notes.rglob("*.md"))[-1].unlink()
    (notes / "NEJM/IiCM/2024-10-03_41M.md").write_text(
        "# [New case][2024_New]\n\n> Pain in the [flank], a [new term].\n\n"
        "[2024_New]: https://www.nejm.org/doi/full/10.1056/NEJMicm2400099\n"
        '[flank]: # "脇腹"\n[new term]: # "新語"\n', encoding="utf-8")
    assert gloss("harvest", str(notes), "--db", db).exit_code == 0
    assert gloss("prefer", "syncope", "失神", "--db", db).exit_code == 0
    # flank is now a tie (two variants in two notes each, a third in the newest note)
    assert gloss("apply", str(notes), "--db", db, "--ties", "newest").exit_code == 0
    fresh = tmp_path / "fresh.db"
    fresh_db = open_db(fresh)
    with sqlite3.connect(db) as conn:
        pins = conn.execute("select term_key, definition, pinned_at from pinned_definitions")
        fresh_db.conn.executemany("insert into pinned_definitions values (?, ?, ?)", pins)
    harvest([notes], fresh_db)
    fresh_db.conn.close()
    kept, rebuilt = contents(Path(db)), contents(fresh)
    assert kept["term_cases"] and kept["term_search"] and kept["term_kanji"]
    assert kept == rebuilt
    # three variants, two tied at the top: --ties newest writes the newest note's (脇腹),
    # not the newer of the two most given
    flank_cases = {row[1:3] for row in kept["term_cases"] if row[0] == "flank"}
    assert flank_cases == {("脇腹", "NEJM/IiCM/2024-10-03_41M.md"),
                           ("脇腹", "NEJM/IiCM/2024-04-04_33M.md"),
                           ("脇腹", FLANK), ("脇腹", "NEJM/IiCM/2024-02-22_58F.md")}


@pytest.mark.parametrize(("typed", "folded"), [
    ("shougen", "shogen"), ("shōgen", "shogen"), ("SHOOGEN", "shogen"), ("shogen", "shogen"),
    ("soku fukubu", "sokufukubu"), ("Soku-Fukubu", "sokufukubu"), ("kan'en", "kanen"),
    ("shimbun", "shinbun"), ("kyūkyū", "kyukyu"), ("側腹部", ""), ("flank", "flank")])
def test_romaji_folds_the_spellings_people_type(typed: str, folded: str) -> None:
    assert romaji_form(typed) == folded


def test_kana_and_kinds() -> None:
    assert kana_form("ソクフクブ") == "そくふくぶ" and kana_form("側腹部") == ""
    assert search_form("japanese", "flank") == "" and search_form("english", "側腹") == ""
    assert search_form("english", "  Flank  PAIN ") == "flank pain"
    assert term_forms("Flank", [("側腹部", "そくふくぶ", "soku fukubu")]) == {
        ("english", "flank"), ("japanese", "側腹部"), ("kana", "そくふくぶ"),
        ("romaji", "sokufukubu")}


def test_find_terms_by_any_of_its_names(bundled_glossary: Path) -> None:
    db = open_db(bundled_glossary, create=False)
    for word in ["flank", "FLANK", "側腹部", "脇腹", "横腹", "そくふくぶ", "sokufukubu",
                 "soku fukubu"]:
        assert find_terms(db, word) == ["flank"], word
    assert find_terms(db, "側腹") == ["flank"]  # the one term it begins
    assert find_terms(db, "腹部") == []  # a part inside finds by search, not by name
    assert "flank" in [hit["term"] for hit in search(db, "腹部")]


def test_story_reads_newest_cases_first_and_limits_them(bundled_glossary: Path) -> None:
    db = open_db(bundled_glossary, create=False)
    told = story(db, "flank", cases=2, notes=1)
    assert [c.date for c in told.cases] == sorted((c.date for c in told.cases), reverse=True)
    assert len(told.cases) == 2 and told.notes_count == 3
    assert all(len(v.notes) <= 1 for v in told.variants)
    assert sum(v.notes_count for v in told.variants) == 3
    assert all(case.sentence for case in told.cases)


def test_show_prints_furigana_variants_and_cases(bundled_glossary: Path, gloss) -> None:
    for word in ["flank", "側腹部", "そくふくぶ", "sokufukubu", "soku fukubu"]:
        result = gloss("show", word, "--db", str(bundled_glossary))
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == "flank  [conflict]  側腹部, 脇腹", word
        assert "  側腹部(そくふくぶ)  soku fukubu" in lines
    output = gloss("show", "flank", "--db", str(bundled_glossary)).output
    assert "横腹  (1 note)" in output and "settle on it: gloss prefer flank '横腹'" in output
    cases = output.split("Cases, newest first")[1]
    assert cases.index("2024-04-04") < cases.index("2024-02-22") < cases.index("2024-01-11")
    assert "bluish-purple ecchymosis over the left flank" in cases


def test_show_an_unknown_word_suggests_the_closest(bundled_glossary: Path, gloss) -> None:
    result = gloss("show", "flnak", "--db", str(bundled_glossary))
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: flnak: no such term in the glossary; did you mean flank?")
    # found only inside a term: named by none, only suggested (ptosis is not proptosis)
    assert "did you mean flank" in gloss("show", "腹部", "--db", str(bundled_glossary)).output


@pytest.mark.parametrize(("word", "shown"), [("側腹", "flank"), ("sekkai", "calcinosis"),
                                             ("calc", "calcinosis"), ("そくふ", "flank")])
def test_show_a_word_one_term_begins_with_shows_that_term(bundled_glossary: Path, gloss,
                                                          word: str, shown: str) -> None:
    result = gloss("show", word, "--db", str(bundled_glossary))
    assert result.exit_code == 0, result.output
    assert result.output.split()[0] == shown


def test_show_all_lists_every_case(tmp_path: Path, gloss) -> None:
    notes = tmp_path / "notes"
    for day in range(1, 14):
        note = notes / "x" / f"2024-01-{day:02d}_1M.md"
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text(f"# Case {day}\n\n> The [knee] hurt.\n\n[knee]: # \"膝\"\n",
                        encoding="utf-8")
    db = str(tmp_path / "g.db")
    gloss("harvest", str(notes), "--db", db)
    short = gloss("show", "knee", "--db", db).output
    assert "(10 of 13; --all for every one)" in short and short.count("The knee hurt.") == 10
    assert gloss("show", "knee", "--all", "--db", db).output.count("The knee hurt.") == 13


def test_conflicts_lists_each_variant_and_its_notes(bundled_glossary: Path, gloss) -> None:
    output = gloss("conflicts", "--db", str(bundled_glossary)).output
    assert "flank  (most notes: 側腹部, 脇腹, 2 against 1)\n  側腹部, 脇腹  (2 notes)\n" in output
    assert "      NEJM/IiCM/2024-04-04_33M.md" in output
    assert output.strip().endswith("2 conflicts (1 tied, undecided)")


def test_shows_line_is_the_sentences_line(bundled_glossary: Path, bundled_notes: Path,
                                          gloss) -> None:
    """`path:line` under a case is where its sentence uses the term, a place to jump to."""
    lines = gloss("show", "flank", "--all", "--db", str(bundled_glossary)).output.splitlines()
    places = [line.split()[0] for line in lines if ".md:" in line]
    assert places
    for place in places:
        path, _, number = place.rpartition(":")
        text = (bundled_notes / path).read_text(encoding="utf-8").splitlines()[int(number) - 1]
        assert "flank" in text.casefold(), place
        assert not re.match(r"\s*([*+-]\s+)?\[flank\]", text, re.I), place  # no definition

"""Input gloss cannot use as it is, said in one line while the rest of the work goes on:
a definition of huge Japanese, notes the harvest could not read, an export name whose
suffix gloss cannot write, a file that is not a glossary.
"""

from __future__ import annotations

import random
import sqlite3

KANJI = "石灰沈着側腹部失神心房中隔欠損右胸心肺気腫橋脳血管炎症性腫瘍悪性良性診断治療"


def test_a_definition_of_huge_japanese_is_harvested_with_the_other_notes(
        tmp_path, write_notes, gloss_run):
    """Far past what the analyzer takes at once (Sudachi refuses ~49 KB: 16,400 kanji)."""
    pick = random.Random(14).choice
    huge = "".join(pick(KANJI) for _ in range(100_000))
    notes = write_notes(tmp_path / "notes", {
        "2024-01-01_40M.md": f'# Huge\n\nThe [huge] one.\n\n[huge]: # "{huge}"\n',
        "2024-01-02_41M.md": '# Small\n\nThe [flank].\n\n[flank]: # "側腹部"\n'})
    db = tmp_path / "g.db"
    done = gloss_run("harvest", notes, "--db", db)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "2 notes · 2 terms · 0 conflicts · 0 undefined\n", "")
    with sqlite3.connect(db) as conn:
        japanese, reading, romaji = conn.execute(
            "select japanese, reading, romaji from terms where key = 'huge'").fetchone()
    assert japanese == huge
    assert len(reading) > len(huge)  # every kanji read, none left as it was
    assert all("ぁ" <= c <= "ゖ" or c == "ー" for c in reading)
    assert romaji.isascii() and len(romaji.split()) > 10_000


def test_apply_says_why_a_note_the_harvest_could_not_read_cannot_be_rewritten(
        tmp_path, write_notes, gloss_run):
    notes = write_notes(tmp_path / "notes", {
        "good.md": '# A\n\nThe [flank].\n\n[flank]: # "横腹"\n',
        "latin1.md": b'# B\n\nThe [flank].\n\n[flank]: # "caf\xe9"\n',
        "nul.md": b'# C\n\x00\n'})
    db = tmp_path / "g.db"
    assert gloss_run("harvest", notes, "--db", db).returncode == 0
    done = gloss_run("apply", notes, "--db", db)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if "skipped" in line] == [
        "latin1.md: skipped: cannot be rewritten: not UTF-8 (invalid byte at offset 34); "
        "convert it to UTF-8 first",
        "nul.md: skipped: cannot be rewritten: holds NUL bytes; not a text file"]
    assert "not harvested yet" not in done.stderr


def test_an_export_name_whose_suffix_gloss_cannot_write_is_refused(
        tmp_path, small_glossary, gloss_run):
    done = gloss_run("export", tmp_path / "g.xlsx", "--db", small_glossary)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Error: {tmp_path / 'g.xlsx'}: gloss cannot write a .xlsx file; name it with one of "
        ".csv, .tsv, .txt, .json, .tbx, .apkg, or give --format (csv, tsv, json, tbx, anki)"]
    assert not (tmp_path / "g.xlsx").exists()
    asked = gloss_run("export", tmp_path / "g.xlsx", "--format", "tsv", "--db", small_glossary)
    assert asked.returncode == 0
    assert "\nflank\t側腹部\t" in (tmp_path / "g.xlsx").read_text(encoding="utf-8")
    plain = gloss_run("export", tmp_path / "glossary", "--db", small_glossary)
    assert plain.returncode == 0
    assert (tmp_path / "glossary").read_text(encoding="utf-8").startswith("term,japanese,")


def test_only_a_file_that_is_not_a_database_is_not_a_gloss_database(tmp_path, gloss_run):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all " * 512)
    done = gloss_run("conflicts", "--db", junk)
    assert (done.returncode, done.stderr) == (
        2, f"Error: {junk}: not a gloss database (file is not a database)\n")
    folder = tmp_path / "folder.db"
    folder.mkdir()
    done = gloss_run("conflicts", "--db", folder)
    assert done.returncode == 2 and "not a gloss database" not in done.stderr

"""On every real note of ../shared/corpus/physician, with every conflict decided each way
(and every term pinned to awkward texts), each rewritten note reads the same to CommonMark
apart from its definition text (judged independently, tests/apply/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glossary.apply import apply
from glossary.db import open_db
from glossary.harvest import harvest
from glossary.terms import conflicts, pin_definition

AWKWARD = ["側腹部, 脇腹", "摘出 する", "say \"ah\"", "[括弧] 丘疹", "丘疹 (remark)", "a (b)",
           "心房中隔欠損 atrial septal defect", "<脇腹>", "it's"]


def copy_and_harvest(physician: Path, tmp_path: Path):
    notes = tmp_path / "notes"
    shutil.copytree(physician, notes)
    db = open_db(tmp_path / "g.db")
    harvest([notes], db)
    return notes, db, {p: p.read_text(encoding="utf-8-sig") for p in notes.rglob("*.md")}


def applied_and_judged(notes: Path, db, before: dict[Path, str], judge) -> int:
    report = apply([notes], db)
    assert not report.having("refused") and not report.having("skipped"), report.problems()
    rewritten = 0
    for path, old in before.items():
        new = path.read_text(encoding="utf-8-sig")
        if new != old:
            rewritten += 1
            assert judge(old, new) == [], path
    assert rewritten == len(report.having("changed"))
    assert not apply([notes], db).having("changed")  # and a second apply changes nothing
    return rewritten


@pytest.fixture(scope="module")
def variants(physician, tmp_path_factory) -> dict[str, list[str]]:
    _, db, _ = copy_and_harvest(physician, tmp_path_factory.mktemp("conflicts"))
    found = {told.term: [v.text for v in told.variants] for told in conflicts(db)}
    assert found, "the real notes hold conflicts"
    return found


@pytest.mark.parametrize("way", [0, 1])
def test_every_conflict_decided_each_way_reads_the_same(physician, variants, tmp_path, way,
                                                        commonmark_judge):
    notes, db, before = copy_and_harvest(physician, tmp_path)
    for term, texts in variants.items():
        pin_definition(db, term, texts[way % len(texts)])
    assert applied_and_judged(notes, db, before, commonmark_judge) > 0


def test_every_term_pinned_to_awkward_texts_reads_the_same(physician, tmp_path,
                                                           commonmark_judge):
    notes, db, before = copy_and_harvest(physician, tmp_path)
    terms = [row[0] for row in db.execute("select term from terms order by key")]
    for number, term in enumerate(terms):
        pin_definition(db, term, AWKWARD[number % len(AWKWARD)])
    assert applied_and_judged(notes, db, before, commonmark_judge) >= 30  # of 72 notes

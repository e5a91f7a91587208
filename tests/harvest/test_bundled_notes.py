"""The bundled sample notes exercise every rule; harvesting them gives known facts."""

import pytest

from glossary.db import open_db
from glossary.terms import closest_terms


@pytest.fixture(scope="module")
def db(bundled_glossary):
    return open_db(bundled_glossary, create=False)


def term(db, key):
    return db.execute("select japanese, status, glosses from terms where key = ?", [key]
                      ).fetchone()


def test_summary_of_the_bundled_notes(db):
    assert db.execute("select count(*) from notes").fetchone() == (14,)
    assert db.execute("select count(*) from terms").fetchone() == (52,)


def test_agreement_majority_and_tie(db):
    assert term(db, "calcinosis")[:2] == ("石灰沈着", "ok")
    assert term(db, "flank")[:2] == ("側腹部, 脇腹", "conflict")
    assert term(db, "syncope")[:2] == ("気絶", "conflict")  # 1–1 tie: the newer note wins


def test_empty_definitions_do_not_conflict(db):
    assert term(db, "tender")[:2] == ("圧痛", "ok")
    assert term(db, "erythema")[:2] == ("紅斑", "ok")
    undefined = {r[0] for r in db.execute("select key from terms where status = 'undefined'")}
    assert undefined == {"hemophagocytic lymphohistiocytosis", "osmotic demyelination syndrome"}


def test_code_blocks_and_non_terms_stay_out(db):
    keys = {r[0] for r in db.execute("select key from terms")}
    assert keys.isdisjoint({"faketerm", "fig", "fig2", "panel a", "terminology", "summary", "3",
                            "2023_doej_roer"})


def test_text_forms(db):
    assert term(db, "tinnitus")[2] == "ringing in the ears"
    assert term(db, "asd")[0] == "心房中隔欠損"
    assert term(db, "asd")[2] == "atrial septal defect"
    assert term(db, "dextrocardia")[0] == "右胸心"
    reading = db.execute("select reading from translations where japanese = '右胸心'").fetchone()
    assert reading == ("うきょうしん",)
    assert term(db, "pons")[0] == "橋"
    assert term(db, "pruritus")[0] == "掻痒"


def test_the_closest_terms_to_a_typo(db):
    assert closest_terms(db, "flnak")[:1] == ["flank"]
    assert closest_terms(db, "FLANK")[:1] == ["flank"]
    assert closest_terms(db, "zzzzzz") == []

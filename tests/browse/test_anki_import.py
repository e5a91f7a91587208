"""The real consumer: decks gloss writes, imported by the Anki desktop's own Python package
(`anki`) into a fresh collection with Anki's default import options, and read back.

A newer export must update the notes of an older one (changed Japanese, a new sentence,
a status tag gone), add only new terms, and keep the user's reviews.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from glossary.browse.anki import write_deck
from glossary.db import open_db

collection_module = pytest.importorskip(
    "anki.collection",
    reason="the Anki desktop's Python package `anki` is not installed (it is in gloss's "
           "test extras: pip install -e '.[test]')")
Collection = collection_module.Collection


def import_deck(col, path: Path):
    """Import as Anki's import dialog does by default (update notes and note types if
    newer, without scheduling); returns the import log."""
    request = collection_module.ImportAnkiPackageRequest(
        package_path=str(path), options=collection_module.ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def fresh_collection(folder: Path):
    """A new, empty Anki collection (a profile's collection.anki2) in its own folder."""
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def notes_by_term(col) -> dict[str, object]:
    return {note["English"]: note for note in
            (col.get_note(nid) for nid in col.find_notes("deck:gloss"))}


NOTE_JANUARY = """\
# [Images in Clinical Medicine: Tumoral Calcinosis][2024_A]

> Uremic tumoral [calcinosis] of the right [flank] after [syncope].

[2024_A]: https://www.nejm.org/doi/full/10.1056/NEJMicm2401173

[calcinosis]: # "石灰沈着"
[flank]: # "側腹部, 脇腹"
[syncope]: # "失神"
[tender]: # ""
"""
NOTE_JUNE = """\
# [Images in Clinical Medicine: Heart Block][2024_B]

> After [syncope], [calcinosis] was found.

[2024_B]: https://www.nejm.org/doi/full/10.1056/NEJMicm2409903

[syncope]: # "気絶"
[calcinosis]: # "石灰沈着"
"""
NOTE_SEPTEMBER = """\
# [Images in Clinical Medicine: Ptosis][2024_C]

> Left [ptosis] with dystrophic [calcinosis] of the lid.

[2024_C]: https://www.nejm.org/doi/full/10.1056/NEJMicm2412345

[ptosis]: # "眼瞼下垂"
[calcinosis]: # "石灰沈着"
"""


def test_a_newer_export_updates_notes_adds_new_terms_and_keeps_reviews(
        tmp_path, write_notes, harvested) -> None:
    notes = write_notes(tmp_path / "notes", {"NEJM/IiCM/2024-01-11_62M.md": NOTE_JANUARY,
                                             "NEJM/IiCM/2024-06-20_80F.md": NOTE_JUNE})
    db = harvested(notes, tmp_path / "g.db")
    now = time.time()
    with (tmp_path / "first.apkg").open("wb") as out:
        first = write_deck(db, out, timestamp=now)
    assert (first.notes, first.undefined) == (3, 1)

    col = fresh_collection(tmp_path / "profile")
    try:
        log = import_deck(col, tmp_path / "first.apkg")
        assert (len(log.new), len(log.updated)) == (3, 0)
        assert col.note_count() == 3 and col.card_count() == 6
        before = notes_by_term(col)
        assert before["syncope"]["Japanese"] == "気絶"  # a tie: the newer note wins
        assert sorted(before["syncope"].tags) == ["NEJM::IiCM", "conflict"]
        assert before["calcinosis"]["CaseTitle"].endswith("Heart Block")
        assert before["flank"].note_type()["name"] == "gloss English–Japanese term v1"
        answer = before["flank"].cards()[0].answer()
        assert ("<ruby><rb>側腹部</rb><rt>そくふくぶ</rt></ruby>、"
                "<ruby><rb>脇腹</rb><rt>わきばら</rt></ruby>") in answer
        assert "<b>flank</b>" in answer
        assert 'href="https://www.nejm.org/doi/full/10.1056/NEJMicm2401173"' in answer

        col.decks.select(col.decks.id_for_name("gloss"))
        card = col.sched.getCard()
        col.sched.answerCard(card, 3)
        reviewed = col.get_card(card.id)
        assert reviewed.reps == 1

        (notes / "NEJM/IiCM/2024-06-20_80F.md").write_text(
            NOTE_JUNE.replace("気絶", "失神"), encoding="utf-8")
        (notes / "NEJM/IiCM/2024-09-05_71M.md").write_text(NOTE_SEPTEMBER, encoding="utf-8")
        db = harvested(notes, tmp_path / "g.db")
        with (tmp_path / "second.apkg").open("wb") as out:
            second = write_deck(db, out, timestamp=now + 3600)
        assert second.notes == 4

        log = import_deck(col, tmp_path / "second.apkg")
        assert len(log.new) == 1 and len(log.conflicting) == 0
        assert col.note_count() == 4 and col.card_count() == 8
        after = notes_by_term(col)
        assert {term: note.id for term, note in after.items() if term != "ptosis"} == {
            term: note.id for term, note in before.items()}
        assert after["syncope"]["Japanese"] == "失神"
        assert sorted(after["syncope"].tags) == ["NEJM::IiCM"]
        assert after["calcinosis"]["Sentence"] == (
            "Left ptosis with dystrophic <b>calcinosis</b> of the lid.")
        assert after["calcinosis"]["CaseDate"] == "2024-09-05"
        assert after["ptosis"]["Furigana"] == "眼瞼下垂[がんけんかすい]"
        kept = col.get_card(reviewed.id)
        assert (kept.reps, kept.type, kept.queue, kept.due) == (
            reviewed.reps, reviewed.type, reviewed.queue, reviewed.due)

        log = import_deck(col, tmp_path / "second.apkg")  # the same file again: nothing new
        assert (len(log.new), len(log.updated)) == (0, 0)
        assert col.note_count() == 4
    finally:
        col.close()


def test_the_real_notes_imported_twice(tmp_path, physician, harvested) -> None:
    db = harvested(physician, tmp_path / "g.db")
    defined = db.execute("select count(*) from terms where status != 'undefined'").fetchone()[0]
    now = time.time()
    col = fresh_collection(tmp_path / "profile")
    try:
        counts = []
        for number in range(2):
            path = tmp_path / f"{number}.apkg"
            with path.open("wb") as out:
                write_deck(open_db(tmp_path / "g.db", create=False), out,
                           timestamp=now + 3600 * number)
            log = import_deck(col, path)
            counts.append((col.note_count(), len(log.new), len(log.updated)))
        # The newer export matches every note by its GUID and, being newer, updates it in
        # place (Anki compares modification times, not contents): none is added.
        assert counts == [(defined, defined, 0), (defined, 0, defined)]
    finally:
        col.close()

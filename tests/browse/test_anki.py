"""gloss export deck.apkg: the package opened as Anki opens it (a zip holding an SQLite
collection) and checked against the glossary; the fields' text checked exactly."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from glossary.browse.anki import DEFAULT_DECK, Filters, write_deck
from glossary.browse.anki_fields import deck_id, emphasized, furigana_field, tags
from glossary.browse.anki_model import FIELDS, MODEL_ID, MODEL_NAME
from glossary.db import open_db
from glossary.wording import counted


@dataclass
class Deck:
    """What an Anki package holds, read with zipfile and sqlite3 alone."""

    notes: list[dict]  # id, guid, mid, tags (list), fields (name -> value)
    cards: list[dict]  # nid, did, ord, due
    models: dict
    decks: dict

    def note(self, english: str) -> dict:
        [note] = [n for n in self.notes if n["fields"]["English"] == english]
        return note

    def field(self, english: str, name: str) -> str:
        return self.note(english)["fields"][name]


def read_deck(path: Path, scratch: Path) -> Deck:
    with zipfile.ZipFile(path) as package:
        assert set(package.namelist()) >= {"collection.anki2", "media"}
        collection = scratch / f"{path.name}.anki2"
        collection.write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(collection)
    conn.row_factory = sqlite3.Row
    models_json, decks_json = conn.execute("select models, decks from col").fetchone()
    models = json.loads(models_json)
    notes = []
    for row in conn.execute("select id, guid, mid, tags, flds from notes order by id"):
        names = [f["name"] for f in models[str(row["mid"])]["flds"]]
        notes.append({"id": row["id"], "guid": row["guid"], "mid": row["mid"],
                      "tags": row["tags"].split(),
                      "fields": dict(zip(names, row["flds"].split("\x1f"), strict=True))})
    cards = [dict(row) for row in conn.execute("select nid, did, ord, due from cards")]
    conn.close()
    return Deck(notes, cards, models, json.loads(decks_json))


def export_deck(gloss_command: str, db: Path, out: Path, *args: str,
                env: dict | None = None) -> subprocess.CompletedProcess:
    """`gloss export` as a real process."""
    result = subprocess.run([gloss_command, "export", str(out), "--db", str(db), *args],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def physician_decks(tmp_path_factory, physician_glossary, gloss_command) -> tuple[Deck, Deck, str]:
    """Two exports of the real notes, by two separate processes, and the first's summary."""
    root = tmp_path_factory.mktemp("anki-decks")
    first = export_deck(gloss_command, physician_glossary, root / "first.apkg")
    export_deck(gloss_command, physician_glossary, root / "second.apkg", "--format", "anki")
    return (read_deck(root / "first.apkg", root), read_deck(root / "second.apkg", root),
            first.stderr)


def test_one_note_per_defined_term_of_the_real_notes(physician_glossary, physician_decks) -> None:
    deck, _, summary = physician_decks
    conn = sqlite3.connect(physician_glossary)
    defined = {term for (term,) in conn.execute(
        "select term from terms where status != 'undefined'")}
    undefined = conn.execute("select count(*) from terms where status = 'undefined'").fetchone()
    with_japanese = {term for (term,) in conn.execute(
        "select term from terms where status != 'undefined' and japanese != ''")}
    assert [n["fields"]["English"] for n in deck.notes] != []
    assert sorted(n["fields"]["English"] for n in deck.notes) == sorted(defined)
    assert len({n["guid"] for n in deck.notes}) == len(deck.notes)
    ords = {}
    for card in deck.cards:
        ords.setdefault(card["nid"], set()).add(card["ord"])
    for note in deck.notes:  # English → Japanese always, Japanese → English when there is one
        expected = {0, 1} if note["fields"]["English"] in with_japanese else {0}
        assert ords[note["id"]] == expected, note["fields"]["English"]
    furigana = sum("[" in n["fields"]["Furigana"] for n in deck.notes)
    sentences = sum(bool(n["fields"]["Sentence"]) for n in deck.notes)
    assert f"{counted(len(defined), 'note')} written to " in summary
    assert (f"(deck 'gloss'): {furigana} with furigana, {sentences} with a sentence; "
            f"{undefined[0]} undefined terms left out (nothing to learn)") in summary


def test_flank_has_the_newest_case_sentence_and_its_link(physician_decks) -> None:
    deck, _, _ = physician_decks
    flank = deck.note("flank")["fields"]
    assert flank["Sentence"] == (
        "A previously healthy 48-year-old man presented to the emergency department with "
        "acute onset of pain in both <b>flanks</b>.")
    assert flank["SentenceCloze"] == (
        "A previously healthy 48-year-old man presented to the emergency department with "
        "acute onset of pain in both {{c1::flanks::側腹部}}.")
    assert flank["CaseTitle"] == "Images in Clinical Medicine: Nonbacterial Thrombotic Endocarditis"
    assert flank["CaseDate"] == "2019-06-20"
    assert flank["CaseLink"] == "https://www.nejm.org/doi/full/10.1056/NEJMicm1804137"
    assert flank["Japanese"] == "側腹部, 脇腹"
    assert flank["Furigana"] == "側腹部[そくふくぶ]、 脇腹[わきばら]"
    assert flank["Romaji"] == "soku fukubu, wakibara"


def test_remarks_and_pronunciation_come_from_the_chosen_definition(physician_decks) -> None:
    deck, _, _ = physician_decks
    assert deck.field("pruritus", "Pronunciation") == "pro͞oˈrītəs"
    assert deck.field("proglottid", "Remarks") == "サナダムシなどの多節条虫の分節"
    assert deck.field("dysuria", "Glosses") == "difficult urination"


def test_tags_are_collections_and_status(physician_decks) -> None:
    deck, _, _ = physician_decks
    assert deck.note("flank")["tags"] == ["NEJM::IiCM", "conflict"]
    assert deck.note("calcinosis")["tags"] == ["NEJM::IiCM"]
    assert all(" " not in tag for note in deck.notes for tag in note["tags"])


def test_two_processes_write_the_same_identities(physician_decks) -> None:
    first, second, _ = physician_decks
    assert [n["guid"] for n in first.notes] == [n["guid"] for n in second.notes]
    assert {n["mid"] for n in first.notes} == {n["mid"] for n in second.notes} == {MODEL_ID}
    assert {c["did"] for c in first.cards} == {c["did"] for c in second.cards} == {
        deck_id(DEFAULT_DECK)}
    assert first.decks[str(deck_id(DEFAULT_DECK))]["name"] == DEFAULT_DECK


def test_the_note_type_is_gloss_own(physician_decks) -> None:
    deck, _, _ = physician_decks
    model = deck.models[str(MODEL_ID)]
    assert model["name"] == MODEL_NAME and MODEL_NAME.endswith("v1")
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert [t["name"] for t in model["tmpls"]] == ["English → Japanese", "Japanese → English"]
    english_to_japanese, japanese_to_english = model["tmpls"]
    assert "{{English}}" in english_to_japanese["qfmt"]
    for part in ("{{furigana:Furigana}}", "{{Sentence}}", "{{CaseLink}}"):
        assert part in english_to_japanese["afmt"]
    assert "{{Japanese}}" in japanese_to_english["qfmt"]
    assert "{{English}}" in japanese_to_english["afmt"]
    assert "Noto Sans CJK JP" in model["css"] and ":lang(ja)" in model["css"]


@pytest.mark.parametrize(("japanese", "reading", "expected"), [
    ("石灰沈着", "せっかいちんちゃく", "石灰沈着[せっかいちんちゃく]"),  # all kanji
    ("持っている", "もっている", "持[も]っている"),  # kanji and okurigana
    ("取り扱い", "とりあつかい", "取[と]り 扱[あつか]い"),  # a space before each later run
    ("カテーテル", "かてーてる", "カテーテル"),  # katakana: nothing to read
    ("ギプス固定", "ぎぷすこてい", "ギプス 固定[こてい]"),
    ("側腹部, 脇腹", "そくふくぶ, わきばら", "側腹部[そくふくぶ]、 脇腹[わきばら]"),
    ("震え, ふるえ", "ふるえ, ふるえ", "震[ふる]え、ふるえ"),  # mixed alternatives
    ("石灰沈着, 脇腹", "せっかいちんちゃく, ", "石灰沈着[せっかいちんちゃく]、脇腹"),
    ("石灰沈着", "", "石灰沈着"),  # no reading: bare
    ("", "", ""),
])
def test_furigana_field(japanese: str, reading: str, expected: str) -> None:
    assert furigana_field(japanese, reading) == expected


FURIGANA_NOTE = """\
# [A Case][2024_Case]

The right [flank], [held] [handling] and a [catheter] with [cast fixation] and [tremor].

[2024_Case]: https://www.nejm.org/doi/full/10.1056/NEJMicm0000001

[flank]: # "側腹部（そくふくぶ）, 脇腹（わきばら）"
[held]: # "持っている（もっている）"
[handling]: # "取り扱い（とりあつかい）"
[catheter]: # "カテーテル"
[cast fixation]: # "ギプス固定（ぎぷすこてい）"
[tremor]: # "震え（ふるえ）, ふるえ"
[calcinosis]: # "石灰沈着（せっかいちんちゃく）"
"""


def test_furigana_of_written_cases_in_the_deck(tmp_path, write_notes, harvested, gloss) -> None:
    notes = write_notes(tmp_path / "notes", {"Cases/2024-02-01_40F.md": FURIGANA_NOTE})
    harvested(notes, tmp_path / "g.db").conn.close()
    assert gloss("export", str(tmp_path / "d.apkg"), "--db", str(tmp_path / "g.db")
                 ).exit_code == 0
    deck = read_deck(tmp_path / "d.apkg", tmp_path)
    assert {n["fields"]["English"]: n["fields"]["Furigana"] for n in deck.notes} == {
        "flank": "側腹部[そくふくぶ]、 脇腹[わきばら]",
        "held": "持[も]っている",
        "handling": "取[と]り 扱[あつか]い",
        "catheter": "カテーテル",
        "cast fixation": "ギプス 固定[こてい]",
        "tremor": "震[ふる]え、ふるえ",
        "calcinosis": "石灰沈着[せっかいちんちゃく]",
    }
    assert deck.note("calcinosis")["tags"] == ["Cases"]
    assert deck.field("calcinosis", "Sentence") == ""  # defined, never used in the text
    assert deck.field("calcinosis", "CaseTitle") == "A Case"  # still the case defining it


@pytest.mark.parametrize(("sentence", "text", "bold", "cloze"), [
    ("Pain in both flanks.", "flank", "Pain in both <b>flanks</b>.",
     "Pain in both {{c1::flanks::脇腹}}."),
    ("A Tick and a tick’s head; ticking.", "tick",
     "A <b>Tick</b> and a <b>tick</b>’s head; ticking.",
     "A {{c1::Tick::脇腹}} and a {{c1::tick::脇腹}}’s head; ticking."),
    ("If a < b & the <i>flank</i>", "flank",
     "If a &lt; b &amp; the &lt;i&gt;<b>flank</b>&lt;/i&gt;",
     "If a &lt; b &amp; the &lt;i&gt;{{c1::flank::脇腹}}&lt;/i&gt;"),
    ("Nothing here.", "flank", "Nothing here.", ""),
])
def test_the_term_is_bold_and_a_cloze(sentence, text, bold, cloze) -> None:
    assert emphasized(sentence, text, "脇腹") == (bold, cloze)


def test_a_cloze_hint_that_would_end_the_cloze_is_dropped() -> None:
    assert emphasized("the flank", "flank", "a}}b")[1] == "the {{c1::flank}}"


def test_tags_of_nested_collections_with_spaces() -> None:
    assert tags({"NEJM/IiCM", "General Practitioner/QB", ""}, "pinned") == [
        "General_Practitioner::QB", "NEJM::IiCM", "pinned"]
    assert tags({"NEJM/IiCM"}, "ok") == ["NEJM::IiCM"]


FILTER_NOTES = {
    "NEJM/IiCM/2024-01-11_62M.md": (
        "# Jan\n\nThe [flank] and [syncope] and [tender] spot.\n\n"
        '[flank]: # "側腹部"\n[syncope]: # "失神"\n[tender]: # ""\n'),
    "NEJM/IiCM/2024-06-20_80F.md": (
        "# June\n\nThe [syncope] and [calcinosis].\n\n"
        '[syncope]: # "失神"\n[calcinosis]: # "石灰沈着"\n'),
    "CRoMGH/2023-03-01_30F.md": (
        "# March\n\nThe [ptosis] and the [flank].\n\n"
        '[ptosis]: # "眼瞼下垂"\n[flank]: # "側腹部"\n'),
    "README.md": "# About\n\n[glossary]: # \"用語集\"\n",
}


@pytest.fixture(scope="module")
def filter_db(tmp_path_factory) -> Path:
    from glossary.harvest import harvest

    root = tmp_path_factory.mktemp("anki-filters")
    notes = root / "notes"
    for name, text in FILTER_NOTES.items():
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        (notes / name).write_text(text, encoding="utf-8")
    db = open_db(root / "g.db")
    harvest([notes], db)
    db.conn.close()
    return root / "g.db"


@pytest.mark.parametrize(("args", "terms", "undefined"), [
    ((), {"flank", "syncope", "calcinosis", "ptosis", "glossary"}, 1),
    (("--collection", "CRoMGH"), {"ptosis", "flank"}, 0),
    (("--collection", "NEJM"), {"flank", "syncope", "calcinosis"}, 1),  # with subfolders
    (("--collection", "NEJM/IiCM/"), {"flank", "syncope", "calcinosis"}, 1),
    (("--collection", "CRoMGH", "--collection", "NEJM/IiCM"),
     {"flank", "syncope", "calcinosis", "ptosis"}, 1),
    (("--since", "2024-01-11"), {"syncope", "calcinosis"}, 1),  # flank was met in 2023
    (("--since", "2024-02-01"), {"calcinosis"}, 0),
    (("--since", "2023-01-01", "--collection", "CRoMGH"), {"ptosis", "flank"}, 0),
    (("--since", "2025-01-01"), set(), 0),
])
def test_filters(filter_db, tmp_path, gloss, args, terms, undefined) -> None:
    result = gloss("export", str(tmp_path / "d.apkg"), "--db", str(filter_db), *args)
    assert result.exit_code == 0, result.output
    deck = read_deck(tmp_path / "d.apkg", tmp_path)
    assert {n["fields"]["English"] for n in deck.notes} == terms
    assert f"{counted(len(terms), 'note')} written to " in result.stderr
    assert ("; 1 undefined term left out" in result.stderr) == bool(undefined)


def test_filtered_and_renamed_decks_keep_each_term_identity(filter_db, tmp_path, gloss) -> None:
    for name, args in (("all", ()), ("some", ("--collection", "CRoMGH", "--deck",
                                                "Medicine::Glossary", "--sort", "reading"))):
        assert gloss("export", str(tmp_path / f"{name}.apkg"), "--db", str(filter_db),
                     *args).exit_code == 0
    every, some = (read_deck(tmp_path / f"{name}.apkg", tmp_path) for name in ("all", "some"))
    assert every.note("flank")["guid"] == some.note("flank")["guid"]
    assert {c["did"] for c in some.cards} == {deck_id("Medicine::Glossary")} != {
        deck_id(DEFAULT_DECK)}
    assert some.decks[str(deck_id("Medicine::Glossary"))]["name"] == "Medicine::Glossary"


def test_new_cards_come_in_the_order_asked_for(filter_db, tmp_path) -> None:
    db = open_db(filter_db, create=False)
    for sort, expected in (("term", ["calcinosis", "flank", "glossary", "ptosis", "syncope"]),
                           ("reading", ["ptosis", "syncope", "calcinosis", "flank",
                                        "glossary"])):
        out = io.BytesIO()
        write_deck(db, out, sort=sort)
        path = tmp_path / f"{sort}.apkg"
        path.write_bytes(out.getvalue())
        deck = read_deck(path, tmp_path)
        by_id = {n["id"]: n["fields"]["English"] for n in deck.notes}
        order = sorted((c["due"], by_id[c["nid"]]) for c in deck.cards if c["ord"] == 0)
        assert [term for _, term in order] == expected


@pytest.mark.parametrize(("args", "message"), [
    (("out.csv", "--deck", "X"), "--collection, --since and --deck apply to anki decks only"),
    (("out.tsv", "--collection", "NEJM"), "--collection, --since and --deck apply to anki"),
    (("-", "--format", "anki"), "an Anki deck is a file: give its PATH"),
    (("d.apkg", "--collection", "Nowhere"), "no note of the glossary is in collection 'Nowhere'"),
    (("d.apkg", "--sources"), "--sources applies to csv, tsv and json only"),
    (("d.apkg", "--excel"), "--excel applies to csv and tsv only"),
    (("d.apkg", "--deck", " "), "--deck needs a name"),
    (("d.apkg", "--since", "June"), "Invalid value for '--since'"),
    (("d.apkg", "--format", "apkg"), "unknown format 'apkg'"),
])
def test_meaningless_combinations_are_refused_in_one_line(filter_db, tmp_path, gloss, args,
                                                         message) -> None:
    path, *rest = args
    target = path if path == "-" else str(tmp_path / path)
    result = gloss("export", target, "--db", str(filter_db), *rest)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_no_temporary_file_is_left_anywhere(filter_db, tmp_path, gloss_command) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    export_deck(gloss_command, filter_db, out / "d.apkg",
                env={**os.environ, "TMPDIR": str(scratch)})
    assert list(scratch.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["d.apkg"]


def test_fields_are_escaped_html_and_genanki_has_nothing_to_warn(tmp_path, write_notes,
                                                                 harvested) -> None:
    note = ('# [Cases & a < b][c]\n\nIf a < b then [pain] & "[ache]".\n\n'
            "[c]: https://example.org/?a=1&b=2\n"
            '[pain]: # "疼痛 (x < y)"\n[ache]: # "x < y & z"\n')
    db = harvested(write_notes(tmp_path / "notes", {"2024-01-01_1F.md": note}),
                   tmp_path / "g.db")
    with warnings.catch_warnings(), (tmp_path / "d.apkg").open("wb") as out:
        warnings.simplefilter("error")
        write_deck(db, out, filters=Filters())
    deck = read_deck(tmp_path / "d.apkg", tmp_path)
    assert deck.field("pain", "Remarks") == "x &lt; y"
    assert deck.field("pain", "Sentence") == 'If a &lt; b then <b>pain</b> &amp; "ache".'
    assert deck.field("ache", "Glosses") == "x &lt; y &amp; z"
    assert deck.field("ache", "CaseTitle") == "Cases &amp; a &lt; b"
    assert deck.field("ache", "CaseLink") == "https://example.org/?a=1&amp;b=2"

"""Gojūon order as JIS X 4061 orders kana: written cases, each a list in dictionary order."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from pathlib import Path

import pytest

from glossary.readings.collation import NO_READING, gojuon_key

ORDERED = [
    # voicing set aside first, then plain < voiced < semi-voiced
    ["は", "ば", "ぱ", "はあ", "ばあ", "ぱあ", "ひ"],
    ["かんちょう", "がいはん"][::-1],  # が sorts with か: がい < かん
    ["かき", "かぎ", "がき", "がぎ", "かく"],
    # small kana as large, then small before plain
    ["しょう", "しよう", "しようか"],
    ["きって", "きつね"],
    # the long-vowel mark as the vowel it lengthens, after that vowel written out
    ["ああく", "あーく", "ああけ"],
    ["きあい", "きー", "きいと", "きんき"],
    ["こうど", "コード", "こおり"],
    # katakana interleave with hiragana, hiragana first when otherwise equal
    ["かあど", "カード", "かーど"][::2] + ["カード"],
    ["えきす", "エキス", "えきすぱあと"],
    # iteration marks repeat the kana before them
    ["ここ", "こゝ", "こご", "こゞ", "こさ"],
    # every row of the table in order, ん last
    ["あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ", "ん"],
]


@pytest.mark.parametrize("words", ORDERED, ids=[" ".join(w) for w in ORDERED])
def test_written_cases_sort_in_dictionary_order(words: list[str]) -> None:
    shuffled = words[:]
    random.Random(len(words)).shuffle(shuffled)
    assert sorted(shuffled, key=gojuon_key) == words


def test_words_without_kana_sort_after_every_reading() -> None:
    assert gojuon_key("") == gojuon_key("ASD") == NO_READING
    assert gojuon_key("んんん") < NO_READING


def test_the_first_of_several_alternatives_decides() -> None:
    first, both, longer = "そくふくぶ", "そくふくぶ, わきばら", "そくふくぶあ"
    assert gojuon_key(first) < gojuon_key(both) < gojuon_key(longer)


def test_katakana_and_hiragana_share_the_primary_order() -> None:
    assert gojuon_key("カ") < gojuon_key("き") < gojuon_key("ク")


# --- on the real notes ----------------------------------------------------------------------

_SMALL_AS_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")


def _primary(reading: str) -> str:
    """The kana of a reading with voicing, smallness and script set aside, written
    independently of glossary.readings.collation (the long-vowel mark is left as it is)."""
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in reading)
    bare = "".join(c for c in unicodedata.normalize("NFD", hiragana)
                   if not unicodedata.combining(c))
    return bare.translate(_SMALL_AS_LARGE)


@pytest.fixture(scope="module")
def real_export(physician_glossary: Path) -> tuple[Path, list]:
    from glossary.browse.export import export
    from glossary.db import open_db

    db = open_db(physician_glossary, create=False, readonly=True)
    out = io.StringIO(newline="")
    export(db, out, sort="reading")
    db.conn.close()
    return physician_glossary, list(csv.DictReader(io.StringIO(out.getvalue())))


# (earlier, later) pairs of the real notes' terms, each a rule of JIS X 4061 at work (in
# code-point order, the pairs marked † come out the other way round).
REAL_ORDER = [
    ("tectal plate", "enema"),  # † がいはん < かんちょう: が sorts with か
    ("proptosis", "enema"),  # † がんきゅうとっしゅつ < かんちょう
    ("cysticercoid", "castration"),  # † ぎのうびちゅう < きょせい: voicing aside, ょ as よ
    ("disconjugate", "turbinate"),  # ひきょうどう < びこうかい: き before こ
    ("turbinate", "nonbloody"),  # † びこうかい < ひしゅっけつせい: こ before し
    ("pneumomediastinum", "quadrant"),  # † じゅうかく < しょうげん: ゅ as ゆ before ょ as よ
    ("feculent", "proglottid"),  # † べんせい < へんせつ: い before つ, voicing aside
    ("hyoid bone", "incisor"),  # † ぜっこつ < せっし…: ぜ with せ, then っこ < っし
    ("tick", "pernicious"),  # ダニ (だに) in the た row, before ちめいてきな
    ("Dermacentor variabilis", "abate"),  # アメリカ… (あめりか) first, with the hiragana
]


@pytest.mark.parametrize("earlier, later", REAL_ORDER, ids=[f"{a}<{b}" for a, b in REAL_ORDER])
def test_the_real_glossary_exported_in_reading_order_follows_jis_x_4061(
        real_export: tuple[Path, list], earlier: str, later: str) -> None:
    terms = [row["term"] for row in real_export[1]]
    assert terms.index(earlier) < terms.index(later)


def test_the_real_glossary_is_in_kana_order_with_voicing_and_small_kana_set_aside(
        real_export: tuple[Path, list]) -> None:
    readings = [row["reading"].split(", ")[0] for row in real_export[1] if row["reading"]]
    assert len(readings) > 80
    plain = [_primary(r) for r in readings if "ー" not in r]
    assert plain == sorted(plain)
    assert readings != sorted(readings)  # code-point order is not the order
    blank = [i for i, row in enumerate(real_export[1]) if not row["reading"]]
    assert blank == list(range(len(readings), len(real_export[1])))  # no reading: last


def test_the_gojuon_view_agrees_with_the_export_on_the_real_notes(
        real_export: tuple[Path, list]) -> None:
    from glossary.db import open_db

    db = open_db(real_export[0], create=False)
    view = [row["term"] for row in db.query("select term from glossary_gojuon")]
    assert view == [row["term"] for row in real_export[1] if row["reading"]]

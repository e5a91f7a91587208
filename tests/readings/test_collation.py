"""Gojūon order as JIS X 4061 orders kana: written cases, each a list in dictionary order."""

from __future__ import annotations

import random

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

"""Furigana: a term's reading aligned to its text (glossary/readings/ruby.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.readings import Piece, furigana


@pytest.mark.parametrize(
    ("text", "reading", "expected"),
    [
        ("持っている", "もっている", [("持", "も"), ("っている", "")]),
        ("側腹部", "そくふくぶ", [("側腹部", "そくふくぶ")]),
        ("ヘルニア", "へるにあ", [("ヘルニア", "")]),
        ("コーヒー", "こうひい", [("コーヒー", "")]),  # ー stands for the long vowel
        ("吐き気", "はきけ", [("吐", "は"), ("き", ""), ("気", "け")]),
        ("ASD 心房中隔欠損", "しんぼうちゅうかくけっそん",
         [("ASD ", ""), ("心房中隔欠損", "しんぼうちゅうかくけっそん")]),
        ("2型糖尿病", "にがたとうにょうびょう",
         [("2", ""), ("型糖尿病", "にがたとうにょうびょう")]),
        ("一ヶ月", "いっかげつ", [("一ヶ月", "いっかげつ")]),
        ("致命的な", "ちめいてきな", [("致命的", "ちめいてき"), ("な", "")]),
        ("大きい", "おおきい", [("大", "おお"), ("きい", "")]),
    ],
)
def test_aligns_reading_to_text(text: str, reading: str, expected: list[tuple[str, str]]) -> None:
    assert furigana(text, reading) == expected


def test_runs_without_kana_between_take_readings_their_kanji_can_have() -> None:
    # the shortest-first split would give 肺 "は"; the kanji table says 肺 is はい
    assert furigana("(肺)気腫", "はいきしゅ") == [("(", ""), ("肺", "はい"), (")", ""),
                                                  ("気腫", "きしゅ")]


def test_katakana_reading_is_accepted_and_spaces_ignored() -> None:
    assert furigana("持っている", "モッ テイル") == [("持", "も"), ("っている", "")]


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("持っている", "もっていた"),  # kana in the text that the reading does not have
        ("側腹部", ""),  # a kanji run needs some reading
        ("ヘルニア", "へるにや"),
        ("持ち", "ち"),  # 持 would be left nothing
    ],
)
def test_reading_that_does_not_fit_is_one_piece(text: str, reading: str) -> None:
    assert furigana(text, reading) == [Piece(text, reading)]


def test_pieces_are_tuples_with_names() -> None:
    (piece, *_) = furigana("持っている", "もっている")
    assert piece.text == "持" and piece.reading == "も"
    assert furigana("", "") == []


_TEXT = st.text(alphabet="持側腹部気腫肺心房々ヶっていきるのヘルニアーAB2 ()・", max_size=12)
_READING = st.text(alphabet="もそくふぶはいきしゅっているのへにあーこう ", max_size=16)


@given(_TEXT, _READING)
def test_pieces_give_back_text_and_reading(text: str, reading: str) -> None:
    pieces = furigana(text, reading)
    assert "".join(p.text for p in pieces) == text
    assert all(p.text for p in pieces)
    assert not any(  # adjacent bare pieces are merged
        not a.reading and not b.reading for a, b in zip(pieces, pieces[1:], strict=False)
    )
    if len(pieces) > 1:  # aligned: no reading is longer than the whole
        assert len("".join(p.reading for p in pieces)) <= len(reading.replace(" ", ""))


@given(st.text(alphabet="持側腹部気腫肺心房っていきるのヘルニア", min_size=1, max_size=8))
def test_bare_pieces_spell_their_own_reading(text: str) -> None:
    # build a reading from the text: kana as written, each kanji read "か"
    reading = "".join("か" if "\u4e00" <= c <= "\u9fff" else c for c in text)
    from glossary.readings import kata_to_hira

    reading = kata_to_hira(reading)
    pieces = furigana(text, reading)
    assert "".join(p.text for p in pieces) == text
    assert "".join(p.reading or kata_to_hira(p.text) for p in pieces) == reading


def test_the_package_gives_the_function_whatever_was_imported_before() -> None:
    import glossary.readings
    import glossary.readings.ruby  # noqa: F401

    assert callable(glossary.readings.furigana)

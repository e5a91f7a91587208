"""Rules of the reading engine, and its accuracy on the shared medical set."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.readings import Reading, ReadingEngine, to_romaji


@pytest.fixture(scope="module")
def engine() -> ReadingEngine:
    return ReadingEngine()


def hira(engine: ReadingEngine, text: str) -> str:
    return engine.read(text).hiragana.replace(" ", "")


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("側腹部", "そくふくぶ"),  # 側 read がわ alone, そく inside the compound
        ("右胸心", "うきょうしん"),
        ("片節", "へんせつ"),
        ("橋梗塞", "きょうこうそく"),
        ("筋電図", "きんでんず"),
    ],
)
def test_compound_reads_by_onyomi(engine: ReadingEngine, term: str, expected: str) -> None:
    assert hira(engine, term) == expected


def test_cavity_is_kuu(engine: ReadingEngine) -> None:
    assert hira(engine, "胸腔") == "きょうくう"
    assert hira(engine, "腹腔鏡") == "ふくくうきょう"


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("膝", "ひざ"),
        ("吐き気", "はきけ"),
        ("親指", "おやゆび"),
        ("横腹", "よこばら"),
        ("脇腹痛", "わきばらつう"),
    ],
)
def test_everyday_words_keep_kun(engine: ReadingEngine, term: str, expected: str) -> None:
    assert hira(engine, term) == expected


def test_unknown_kanji_word_read_by_onyomi_with_sound_changes(engine: ReadingEngine) -> None:
    assert hira(engine, "捻髪音") == "ねんぱつおん"  # ん + は -> ぱ


def test_katakana_reads_as_hiragana(engine: ReadingEngine) -> None:
    reading = engine.read("ヘルニア")
    assert reading == Reading("へるにあ", "herunia", "kana")


def test_mixed_text(engine: ReadingEngine) -> None:
    assert hira(engine, "(肺)気腫") == "はいきしゅ"
    assert hira(engine, "…とみなす") == "とみなす"
    mixed = engine.read("ASD 心房中隔欠損")
    assert mixed.hiragana == "しんぼうちゅうかくけっそん"
    assert mixed.romaji.split() == ["asd", "shinbou", "chuukaku", "kesson"]


def test_romaji_keeps_word_boundaries(engine: ReadingEngine) -> None:
    reading = engine.read("石灰沈着")
    assert reading.hiragana == "せっかいちんちゃく"
    assert "sekkai" in reading.romaji.split()
    assert engine.read("失活させる").romaji == "shikkatsusaseru"


def test_hepburn_convention() -> None:
    assert to_romaji("しょう") == "shou"
    assert to_romaji("まっちゃ") == "matcha"
    assert to_romaji("きんいん") == "kin'in"
    assert to_romaji("どれなーじ") == "dorenaaji"
    assert to_romaji("せっかい ちんちゃく") == "sekkai chinchaku"


def test_pin_wins_for_whole_string_and_inside_terms() -> None:
    engine = ReadingEngine(pinned={"右胸心": "みぎむねしん", "心房": "しんばう"})
    assert engine.read("右胸心") == Reading("みぎむねしん", "migimuneshin", "pinned")
    inner = engine.read("心房細動")
    assert inner.hiragana == "しんばうさいどう"
    assert inner.source == "pinned"


def test_explain_names_what_decided(engine: ReadingEngine) -> None:
    lines = engine.explain("側腹部")
    assert any("on-in-compounds: がわ → そく" in line for line in lines)


def _load(path: Path) -> list[tuple[str, set[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, _, readings = line.partition("\t")
            rows.append((term.strip(), {r.strip() for r in readings.split("|")}))
    return rows


def test_accuracy_on_shared_medical_set(engine: ReadingEngine, shared_readings: Path) -> None:
    rows = _load(shared_readings)
    misses = [(t, hira(engine, t)) for t, accepted in rows if hira(engine, t) not in accepted]
    assert len(rows) >= 100
    assert 1 - len(misses) / len(rows) >= 0.97, misses

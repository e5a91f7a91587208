"""The engine's rules as data, romaji from the hiragana, bounded input, reading pins."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from glossary.db import open_db
from glossary.notes import split_text
from glossary.readings import ReadingEngine, as_reading, to_romaji
from glossary.readings.engine import UnknownRuleName
from glossary.readings.rules import RULES

SHARED = Path(__file__).resolve().parents[3] / "shared"
SHARED_TSV = SHARED / "readings" / "medical-readings.tsv"
CORPUS = SHARED / "corpus" / "physician"
BUNDLED = Path(__file__).resolve().parents[2] / "notes"


@pytest.fixture(scope="module")
def engine() -> ReadingEngine:
    return ReadingEngine(rules_off=())


def test_rules_are_named_and_ordered(engine: ReadingEngine) -> None:
    names = engine.ruler.names()
    assert names == [name for name, _, _ in RULES]
    assert names[0] == "lexicon"  # whole words before morpheme rules
    assert all(enabled for _, _, enabled in engine.ruler.describe())
    assert names == ["lexicon", "in-compounds", "unknown-words", "on-in-compounds",
                     "kun-head", "sokuon-joins", "medical-conventions"]
    switched = ReadingEngine(rules_off=("kun-head",)).ruler.describe()
    assert [name for name, _, enabled in switched if not enabled] == ["kun-head"]


def test_explain_shows_every_rule_that_changed_a_word(engine: ReadingEngine) -> None:
    lines = engine.explain("側腹部")
    assert "側 → そく (SudachiPy core, mode C: がわ)" in lines
    assert any(line.strip().startswith("on-in-compounds: がわ → そく") for line in lines)
    changed = engine.explain("胸腔")[1].strip()
    assert changed.startswith("medical-conventions: きょうこう → きょうくう")


def test_a_rule_switched_off_changes_nothing(engine: ReadingEngine) -> None:
    without = ReadingEngine(rules_off=["on-in-compounds"])
    assert without.read("側腹部").hiragana == "がわふくぶ"
    assert not any("on-in-compounds" in line for line in without.explain("側腹部"))
    assert engine.read("側腹部").hiragana == "そくふくぶ"
    assert without.version.endswith("-without-on-in-compounds")


def test_rules_switched_off_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOSS_READING_RULES_OFF", "medical-conventions, kun-head")
    assert ReadingEngine().ruler.disabled == {"medical-conventions", "kun-head"}
    assert ReadingEngine().read("胸腔").hiragana == "きょうこう"
    monkeypatch.setenv("GLOSS_READING_RULES_OFF", "no-such-rule")
    with pytest.raises(UnknownRuleName, match="no reading rule named no-such-rule"):
        ReadingEngine()


@pytest.mark.parametrize(
    ("term", "reading", "romaji"),
    [
        ("持っている", "もっている", "motteiru"),
        ("石灰沈着", "せっかいちんちゃく", "sekkai chinchaku"),
        ("良性骨腫瘍", "りょうせいこつしゅよう", "ryouseikotsu shuyou"),  # 骨: a suffix
        ("混合型", "こんごうがた", "kongougata"),
    ],
)
def test_romaji_is_hepburn_of_the_hiragana(engine, term, reading, romaji) -> None:
    result = engine.read(term)
    assert (result.hiragana, result.romaji) == (reading, romaji)


def _terms() -> list[str]:
    """Every Japanese term of every list at hand: the shared list, the notes' definitions."""
    terms = set()
    if SHARED_TSV.exists():
        terms |= {line.split("\t")[0] for line in SHARED_TSV.read_text("utf-8").splitlines()
                  if line.strip() and not line.startswith("#")}
    for folder in (BUNDLED, CORPUS):
        for note in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            for title in re.findall(r'^\[[^\]]+\]: \S+ "([^"]*)"', note.read_text("utf-8"), re.M):
                terms.update(split_text(title).japanese)
    return sorted(terms)


def test_romaji_property_on_every_term_at_hand(engine: ReadingEngine) -> None:
    terms = _terms()
    assert len(terms) > 50
    for term in terms:
        result = engine.read(term)
        latin = re.findall(r"[A-Za-z0-9]+(?:[.\-'][A-Za-z0-9]+)*",
                           unicodedata.normalize("NFKC", term))
        japanese = [w for w in result.romaji.split() if w not in {x.lower() for x in latin}]
        assert "".join(japanese) == to_romaji(result.hiragana), term


def test_any_length_reads_without_raising(engine: ReadingEngine) -> None:
    sentence = "患者は右側腹部に石灰沈着を認めた。"
    long_text = sentence * 6000  # ~300 KB of UTF-8: Sudachi alone refuses ~49 KB
    reading = engine.read(long_text)
    assert reading.hiragana == engine.read(sentence).hiragana * 6000
    unpunctuated = "右側腹部石灰沈着" * 2000  # one run of 16,000 kanji, no boundary at all
    assert len(engine.read(unpunctuated).hiragana) > 16000
    assert engine.read("\x00\u200b𠮷野家🙂") is not None
    odd = engine.read("\x00\u200b𠮷野家🙂").hiragana
    assert odd and all("ぁ" <= c <= "ゖ" or c in "ー " for c in odd), odd


@pytest.mark.parametrize(
    ("text", "expected"),
    [("うきょうしん", "うきょうしん"), ("ウキョウシン", "うきょうしん"), ("ｳｷｮｳｼﾝ", "うきょうしん"),
     ("こーひー", "こーひー"), ("うきょう しん", "うきょうしん"),
     ("ukyoushin", None), ("右胸心", None), ("うきょう1", None), ("", None)],
)
def test_what_a_reading_is(text: str, expected: str | None) -> None:
    assert as_reading(text) == expected


def test_pinning_a_reading_accepts_kana_only(tmp_path: Path) -> None:
    db = str(tmp_path / "glossary.db")
    open_db(db).conn.close()
    runner = CliRunner()
    refused = runner.invoke(cli, ["reading", "側腹部", "sokufukubu", "--db", db])
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        "Error: 'sokufukubu' is not a reading of 側腹部: give it in hiragana or katakana"]
    pinned = runner.invoke(cli, ["reading", "側腹部", "ソクフクブ", "--db", db])
    assert pinned.exit_code == 0 and "pinned to そくふくぶ" in pinned.output
    shown = runner.invoke(cli, ["reading", "側腹部", "--db", db])
    assert shown.output.split() == ["側腹部", "そくふくぶ", "sokufukubu", "(pinned)"]


def test_cli_lists_explains_and_switches_rules(tmp_path: Path) -> None:
    runner, db = CliRunner(), str(tmp_path / "glossary.db")
    listed = runner.invoke(cli, ["reading", "--rules"])
    assert [line.split()[0] for line in listed.output.splitlines()] == [n for n, _, _ in RULES]
    explained = runner.invoke(cli, ["reading", "側腹部", "--explain", "--db", db])
    assert "on-in-compounds: がわ → そく" in explained.output
    off = runner.invoke(cli, ["reading", "側腹部", "--without", "on-in-compounds", "--db", db])
    assert off.output.split()[1] == "がわふくぶ"
    bad = runner.invoke(cli, ["reading", "側腹部", "--without", "nope", "--db", db])
    assert bad.exit_code == 2 and "no reading rule named nope" in bad.output


def test_written_reading_in_katakana_is_hiragana_and_non_kana_is_a_remark() -> None:
    assert split_text("右胸心（ウキョウシン）").readings == {"右胸心": "うきょうしん"}
    assert split_text("右胸心 (うきょう しん)").readings == {"右胸心": "うきょうしん"}
    meaning = split_text("右胸心（ukyoushin）")
    assert meaning.readings == {} and meaning.japanese == ("右胸心",)


@pytest.mark.parametrize(
    ("term", "reading"),
    [("第四趾", "だいよんし"), ("五日目", "いつかめ"), ("四丘体", "しきゅうたい")],
)
def test_numerals_keep_the_analyzers_reading_only_as_numbers(engine, term, reading) -> None:
    # after 第 or before a counter a numeral is a number (よん, いつ); inside a compound, on'yomi
    assert engine.read(term).hiragana == reading


@pytest.mark.parametrize(
    ("term", "reading"),
    [("経静脈栄養", "けいじょうみゃくえいよう"), ("腫瘍様", "しゅようよう"), ("経典", "きょうてん"),
     ("様々", "さまざま"), ("後脛骨動脈", "こうけいこつどうみゃく"), ("手術後", "しゅじゅつご")],
)
def test_conventions_for_a_kanji_alone_leave_longer_words(engine, term, reading) -> None:
    # 経 けい (trans-) and 様 よう (-like) only where the analyzer's word is the kanji alone;
    # 後 こう (posterior) only alone at the head of a compound (手術後 keeps ご)
    assert engine.read(term).hiragana == reading


def test_learned_doubling_between_one_kanji_words(engine: ReadingEngine) -> None:
    # Sudachi leaves 血|症 side by side; JMdict's two-kanji words in 血 double before k/s/t
    assert engine.read("真菌血症").hiragana == "しんきんけっしょう"
    assert any(line.strip().startswith("sokuon-joins: けつ → けっ")
               for line in engine.explain("真菌血症"))
    # a one-kanji word before a longer word is not one word with it: no doubling (鉄|沈着)
    assert engine.read("鉄沈着").hiragana == "てつちんちゃく"
    assert ReadingEngine(rules_off=["sokuon-joins"]).read("真菌血症").hiragana == (
        "しんきんけつしょう")


def test_a_word_reads_at_a_compounds_head_and_tail_as_jmdict_words_do(engine) -> None:
    # JMdict's longer words read 日本 at the head にほん, 会社 at the tail がいしゃ
    assert engine.read("日本産").hiragana == "にほんさん"
    assert engine.read("医療機器会社").hiragana == "いりょうききがいしゃ"
    assert any(line.strip().startswith("in-compounds: かいしゃ → がいしゃ")
               for line in engine.explain("医療機器会社"))
    assert engine.read("会社").hiragana == "かいしゃ"  # alone, the analyzer's reading


@pytest.mark.parametrize("text", ["shinsoku", "123", "!?"])
def test_reading_text_with_nothing_japanese_is_refused(text: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["reading", text, "--db", str(tmp_path / "g.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {text}: nothing Japanese to read; give kanji or kana"]

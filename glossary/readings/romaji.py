"""Kana helpers: katakana to hiragana, and hiragana to Hepburn romaji.

Convention (see docs/readings.md): modified Hepburn in plain ASCII, lowercase,
long vowels spelled out (しょう -> shou, おお -> oo), っ doubles the next consonant
(っち -> tch), ん is "n" and "n'" before a vowel or y. Spaces and any non-kana
characters (Latin letters, digits) pass through unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_BASE = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
    "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
    "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa", "ゔ": "vu",
}  # fmt: skip

# Digraphs: a kana ending in -i followed by a small ya/yu/yo, plus common loanword pairs.
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_Y_STEMS = {"し": "sh", "ち": "ch", "じ": "j", "ぢ": "j"}
_LOAN = {
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "てぃ": "ti", "でぃ": "di",
    "とぅ": "tu", "どぅ": "du", "うぃ": "wi", "うぇ": "we", "うぉ": "wo", "ゔぁ": "va",
    "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo", "しぇ": "she", "じぇ": "je", "ちぇ": "che",
    "つぁ": "tsa", "つぃ": "tsi", "つぇ": "tse", "つぉ": "tso", "いぇ": "ye",
}  # fmt: skip


def kata_to_hira(text: str) -> str:
    """Return text with katakana (ァ-ヶ) turned into hiragana; ー and others kept."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def as_reading(text: str) -> str | None:
    """``text`` as a reading in hiragana, or None when it is not one.

    A reading is kana only: hiragana, katakana (full- or half-width, turned into hiragana)
    and the long-vowel mark ー; spaces, ・ and ideographic spaces between words are dropped.
    Anything else (romaji, kanji, digits) is not a reading.
    """
    kana = unicodedata.normalize("NFKC", text)
    kana = re.sub(r"[\s・]+", "", kana)
    if not kana or not all("ぁ" <= c <= "ゖ" or "ァ" <= c <= "ヺ" or c == "ー" for c in kana):
        return None
    return kata_to_hira(kana)


def _syllables(hiragana: str) -> list[tuple[int, str]]:
    """(start index, romanized syllable) of each unit; っ and ー are kept as markers."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(hiragana):
        pair = hiragana[i : i + 2]
        ch = hiragana[i]
        if pair in _LOAN:
            out.append((i, _LOAN[pair]))
            i += 2
        elif len(pair) == 2 and pair[1] in _SMALL_Y and ch in _BASE and ch not in _SMALL_Y:
            stem = _Y_STEMS.get(ch, _BASE[ch][:-1] + "y")
            out.append((i, stem + _SMALL_Y[pair[1]]))
            i += 2
        else:
            out.append((i, ch if ch in ("っ", "ー") else _BASE.get(ch, ch)))
            i += 1
    return out


def romanize(hiragana: str, breaks: Iterable[int] = ()) -> str:
    """Lowercase ASCII Hepburn of ``hiragana``, with a space before each index in ``breaks``
    (word starts) where one can stand: never after っ, before ー or between ん and a vowel,
    so that removing the spaces always gives ``to_romaji(hiragana)``."""
    syllables = _syllables(kata_to_hira(hiragana))
    starts = set(breaks) - {0}
    out: list[str] = []
    for i, (at, syl) in enumerate(syllables):
        nxt = syllables[i + 1][1] if i + 1 < len(syllables) else ""
        prev = syllables[i - 1][1] if i else ""
        after_n = prev == "n" and syl[:1] in tuple("aeiouy")
        if at in starts and prev != "っ" and not after_n and syl != "ー" and out:
            out.append(" ")
        if syl == "っ":
            if nxt.startswith("ch"):
                out.append("t")
            elif nxt[:1].isalpha() and nxt[:1] not in "aeiouny":
                out.append(nxt[0])
            continue
        if syl == "ー":
            last = out[-1] if out else ""
            out.append(last[-1] if last[-1:] in tuple("aeiou") else "")
            continue
        if syl == "n" and nxt[:1] in tuple("aeiouy") and nxt:
            out.append("n'")
            continue
        out.append(syl)
    return "".join(out).lower()


def to_romaji(hiragana: str) -> str:
    """Return lowercase ASCII Hepburn for hiragana (katakana is accepted too)."""
    return romanize(hiragana)

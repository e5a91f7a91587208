"""Gojūon order (JIS X 4061, kana): one sort key for every place that orders by reading.

A dictionary orders by the kana first with their differences set aside — voicing marks
(が with か, ぱ with は), small kana as large (ょ as よ), katakana as hiragana, the long-vowel
mark as the vowel it lengthens (カード as かあど), an iteration mark as the kana it repeats —
and only among words equal so far looks at those differences, in this order:

1. small kana, then plain, then voiced, then semi-voiced (しょう < しよう; は < ば < ぱ);
2. a kana written out before one given by a long-vowel or iteration mark (ああく < あーく);
3. hiragana before katakana (かあど < カード).

`gojuon_key` turns a reading into a string whose plain (binary) order is that order, so
SQLite sorts by it with an index. Text without kana (a term with no reading) sorts after
every kana reading; callers break ties by the term itself.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .romaji import to_romaji

NO_READING = "\uffff"  # the key of a reading with no kana: after every kana reading

_SMALL = dict(zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ", strict=True))
_SMALL_KATAKANA_EXTENSION = dict(zip("ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
                                     "くしすとぬはひふへほむらりるれろ", strict=True))
_VOWELS = {"a": "あ", "i": "い", "u": "う", "e": "え", "o": "お"}
_VOICED, _SEMI_VOICED = "\u3099", "\u309a"  # combining marks, as NFD writes が and ぱ
_SEPARATOR = "\x01"  # below every character a key holds: a shorter word sorts first
_ALTERNATIVES = "\x02"  # ", " between a term's alternatives: the first decides

# Attributes compared after the base kana, lowest first.
SMALL, PLAIN, VOICED, SEMI_VOICED = "0", "1", "2", "3"
WRITTEN, MARKED = "0", "1"
HIRAGANA, KATAKANA = "0", "1"


def _base(ch: str) -> tuple[str, str, str] | None:
    """(base hiragana, small/plain/voiced/semi-voiced, hiragana/katakana) of one kana."""
    script = HIRAGANA
    if "\u30a1" <= ch <= "\u30f6":
        ch, script = chr(ord(ch) - 0x60), KATAKANA
    elif ch in _SMALL_KATAKANA_EXTENSION:
        return _SMALL_KATAKANA_EXTENSION[ch], SMALL, KATAKANA
    elif ch in "ヷヸヹヺ":
        return "わゐゑを"["ヷヸヹヺ".index(ch)], VOICED, KATAKANA
    if ch in _SMALL:
        return _SMALL[ch], SMALL, script
    if not "\u3041" <= ch <= "\u3096":
        return None
    decomposed = unicodedata.normalize("NFD", ch)
    if decomposed.endswith(_VOICED):
        return decomposed[0], VOICED, script
    if decomposed.endswith(_SEMI_VOICED):
        return decomposed[0], SEMI_VOICED, script
    return ch, PLAIN, script


def _vowel_of(kana: str) -> str:
    """The vowel a long-vowel mark after this base kana lengthens (ん lengthens itself)."""
    return _VOWELS.get(to_romaji(kana)[-1:], kana)


@lru_cache(maxsize=65536)
def gojuon_key(reading: str) -> str:
    """The sort key of a reading in gojūon order (see the module docstring)."""
    primary: list[str] = []
    voicing: list[str] = []
    marks: list[str] = []
    scripts: list[str] = []
    for ch in reading.replace(", ", _ALTERNATIVES):
        found = _base(ch)
        if found is not None:
            base, voice, script = found
            mark = WRITTEN
        elif ch in "ーｰ" and primary and primary[-1] > _ALTERNATIVES:
            base, voice, script, mark = _vowel_of(primary[-1]), PLAIN, KATAKANA, MARKED
        elif ch in "ゝゞヽヾ" and primary and primary[-1] > _ALTERNATIVES:
            base, mark = primary[-1], MARKED
            voice = VOICED if ch in "ゞヾ" else PLAIN
            script = KATAKANA if ch in "ヽヾ" else HIRAGANA
        elif ch.isspace():
            continue
        else:  # an alternatives' separator, a Latin letter, a digit: kept as it is
            base, voice, mark, script = ch, PLAIN, WRITTEN, HIRAGANA
        primary.append(base)
        voicing.append(voice)
        marks.append(mark)
        scripts.append(script)
    if not any("\u3041" <= ch <= "\u3096" for ch in primary):
        return NO_READING
    return _SEPARATOR.join(("".join(primary), "".join(voicing), "".join(marks),
                            "".join(scripts)))

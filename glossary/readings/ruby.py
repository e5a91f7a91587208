"""Furigana (ruby text): which part of a term's reading belongs over which part of its text.

``furigana("持っている", "もっている")`` → ``[("持", "も"), ("っている", "")]``: kana in the
text is matched to the reading and left bare, each run of kanji gets its part of the reading,
other text (Latin letters, digits, punctuation) is bare and takes no reading. Pure; used by
the browse pages (``<ruby>``) and the Anki export (``漢字[かな]``).

Where a text has several kanji runs with no kana between them (``(肺)気腫``), the split that
gives each run a reading its kanji can take (glossary.readings.kanji) is preferred; otherwise
each kanji run takes the shortest reading that lets the rest fit. When the reading cannot be
fitted to the text at all, the answer is one piece: the whole text over the whole reading.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from .kanji import align, is_kanji, table
from .romaji import kata_to_hira

__all__ = ["Piece", "furigana"]

_KANJI_LIKE = "々〆ヶヵ"  # read as part of a kanji run: 一ヶ月 いっかげつ
_VOWELS = "あいうえお"


class Piece(NamedTuple):
    """A part of a term's text and the reading written over it ("" when bare)."""

    text: str
    reading: str


def _kind(ch: str) -> str:
    if is_kanji(ch) or ch in _KANJI_LIKE:
        return "kanji"
    if "ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch in "ーゝゞヽヾ":
        return "kana"
    return "other"


def _runs(text: str) -> list[tuple[str, str]]:
    """The text as (kind, run) pairs of consecutive characters of one kind."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        kind = _kind(ch)
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + ch)
        else:
            runs.append((kind, ch))
    return runs


def _kana_fits(kana: str, reading: str, at: int) -> bool:
    """True when the kana run reads as ``reading[at:at+len(kana)]`` (ー may be a vowel)."""
    if at + len(kana) > len(reading):
        return False
    for ch, r in zip(kata_to_hira(kana), reading[at : at + len(kana)], strict=True):
        if ch != r and not (ch == "ー" and r in _VOWELS):
            return False
    return True


@cache
def _candidates(kanji: str) -> tuple[str, ...]:
    entry = table().get(kanji)
    return (*entry.on, *entry.kun) if entry else ()


def _plausible(run: str, piece: str) -> bool:
    """True when ``piece`` splits into readings the run's kanji can take."""
    if any(ch in _KANJI_LIKE for ch in run):
        return True  # iteration marks and ヶ: no table; any non-empty piece will do
    return align(run, piece, {ch: _candidates(ch) for ch in run}) is not None


def _fit(runs: list[tuple[str, str]], reading: str, strict: bool) -> list[str] | None:
    """The reading piece of every run, or None; kanji runs take the shortest that fits.

    Dynamic programming from the last run back: ``nxt[i][at]`` is where run ``i + 1``
    starts when run ``i`` starts at ``at`` and everything after it fits (None if not).
    A kanji takes at most five kana (承 うけたまわ), which keeps the work linear.
    """
    size = len(reading)
    fits_after = [False] * size + [True]  # runs from i on fit reading[at:]
    nxt: list[list[int | None]] = []
    for kind, run in reversed(runs):
        step: list[int | None] = [None] * (size + 1)
        for at in range(size + 1):
            if kind == "other":
                step[at] = at if fits_after[at] else None
            elif kind == "kana":
                end = at + len(run)
                if _kana_fits(run, reading, at) and fits_after[end]:
                    step[at] = end
            else:
                for end in range(at + 1, min(size, at + 5 * len(run)) + 1):
                    if fits_after[end] and (not strict or _plausible(run, reading[at:end])):
                        step[at] = end
                        break
        nxt.append(step)
        fits_after = [s is not None for s in step]
    nxt.reverse()
    if not runs or nxt[0][0] is None:
        return None
    pieces, at = [], 0
    for step in nxt:
        end = step[at]
        assert end is not None
        pieces.append(reading[at:end])
        at = end
    return pieces


def furigana(japanese: str, hiragana: str) -> list[Piece]:
    """Align ``hiragana`` (the reading of ``japanese``) to the text, run by run.

    Kana and other text are bare pieces (reading ""); adjacent bare pieces are merged.
    Spaces in the reading are ignored. Concatenating the pieces' texts gives ``japanese``
    back. When the reading does not fit, the whole text carries the whole reading.
    """
    if not japanese:
        return []
    reading = kata_to_hira(hiragana.replace(" ", "").replace("\u3000", ""))
    runs = _runs(japanese)
    kanji_runs = sum(kind == "kanji" for kind, _ in runs)
    pieces = _fit(runs, reading, strict=True) if kanji_runs > 1 else None
    pieces = pieces or _fit(runs, reading, strict=False)
    if pieces is None:
        return [Piece(japanese, reading)]
    out: list[Piece] = []
    for (kind, run), piece in zip(runs, pieces, strict=True):
        if kind != "kanji" and out and not out[-1].reading:
            out[-1] = Piece(out[-1].text + run, "")
        else:
            out.append(Piece(run, piece if kind == "kanji" else ""))
    return out

"""Readings of Japanese terms: the engine (hiragana), romaji, furigana, gojūon order, and
the glossary's cache of readings with the user's pins. The engine and the kanji tables are
imported on first use: a harvest whose Japanese is all cached never needs them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .romaji import as_reading, kata_to_hira, to_romaji

if TYPE_CHECKING:
    from .engine import Reading, ReadingEngine, read_japanese
    from .ruby import Piece, furigana

__all__ = ["Piece", "Reading", "ReadingEngine", "as_reading", "furigana", "kata_to_hira",
           "read_japanese", "to_romaji"]

_LAZY = {"Reading": "engine", "ReadingEngine": "engine", "read_japanese": "engine",
         "Piece": "ruby", "furigana": "ruby"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Readings of Japanese terms: the engine (hiragana), romaji, and the glossary's cache of
readings with the user's pins. The engine is imported on first use: a harvest whose
Japanese is all cached never needs it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .romaji import kata_to_hira, to_romaji

if TYPE_CHECKING:
    from .engine import Reading, ReadingEngine, read_japanese

__all__ = ["Reading", "ReadingEngine", "kata_to_hira", "read_japanese", "to_romaji"]


def __getattr__(name: str) -> Any:
    if name in ("Reading", "ReadingEngine", "read_japanese"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

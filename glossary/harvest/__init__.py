"""Harvest: walk the notes folders, decide which notes changed, parse them in parallel,
count their terms and write the glossary in one transaction."""

from .run import HarvestReport, harvest

__all__ = ["HarvestReport", "harvest"]

"""gloss: an English–Japanese glossary harvested from Markdown case notes.

The library's public surface; every command of the `gloss` CLI is one of these calls:

    db = glossary.open_glossary("db/glossary.db")
    glossary.harvest_notes([Path("notes")], db)      # -> HarvestReport
    glossary.apply_glossary([Path("notes")], db)     # -> ApplyReport
    glossary.read_japanese("側腹部")                  # -> Reading(hiragana, romaji, source)
    glossary.export_glossary(db, sys.stdout, fmt="tsv")

Failures gloss explains are `GlossError`s. Names load on first use, so importing the
package (as the CLI does) costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import GlossError

if TYPE_CHECKING:
    from .apply import apply as apply_glossary
    from .browse import export as export_glossary
    from .db import open_db as open_glossary
    from .harvest import harvest as harvest_notes
    from .readings import read_japanese

__all__ = ["GlossError", "apply_glossary", "export_glossary", "harvest_notes", "open_glossary",
           "read_japanese"]

_WHERE = {
    "apply_glossary": ("glossary.apply", "apply"),
    "export_glossary": ("glossary.browse", "export"),
    "harvest_notes": ("glossary.harvest", "harvest"),
    "open_glossary": ("glossary.db", "open_db"),
    "read_japanese": ("glossary.readings", "read_japanese"),
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _WHERE[name]
    return getattr(import_module(module), attribute)

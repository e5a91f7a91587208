"""Browse the glossary in Datasette: the shipped metadata, the links, and start-up.

`make_datasette` builds the real Datasette over a glossary database with the metadata in
`metadata.json` (re-keyed to the database's name, which Datasette takes from the file name).
A small `render_cell` plugin, registered in-process, turns a term into a link to its cases
and a note path into a link to the note's row; every value is escaped by markupsafe.
"""

from __future__ import annotations

import asyncio
import copy
import json
import sys
import threading
import webbrowser
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

import markupsafe
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm
from datasette.utils import tilde_encode

METADATA_NAME = "glossary"
CASES_QUERY = "cases_of_term"
HOST = "127.0.0.1"
# Tables whose note_path Datasette already links through a foreign key.
_LINKED_BY_FOREIGN_KEY = {"definitions", "occurrences"}
_served: set[str] = set()


def load_metadata(database_name: str = METADATA_NAME) -> dict:
    """The shipped metadata, with its database section under `database_name`."""
    text = resources.files(__package__).joinpath("metadata.json").read_text(encoding="utf-8")
    metadata = json.loads(text)
    databases = metadata["databases"]
    if database_name != METADATA_NAME:
        databases[database_name] = copy.deepcopy(databases.pop(METADATA_NAME))
    return metadata


def make_datasette(db_path: str | Path, **settings: object) -> Datasette:
    """A Datasette over one glossary database, with gloss's metadata and cell links."""
    db_path = Path(db_path)
    name = db_path.stem
    _register_plugin()
    _served.add(name)
    return Datasette([str(db_path)], metadata=load_metadata(name), **settings)


def _register_plugin() -> None:
    if not pm.has_plugin("gloss"):
        pm.register(sys.modules[__name__], name="gloss")


def _cell_value(row: object, column: str) -> object:
    try:
        return row[column]  # type: ignore[index]
    except (IndexError, KeyError, TypeError):
        return None


@hookimpl
def render_cell(row: object, value: object, column: str, table: str | None, database: str,
                datasette: Datasette) -> markupsafe.Markup | None:
    """Link a term to its cases and a note path to the note (escaped); None otherwise."""
    if database not in _served or not isinstance(value, str) or not value:
        return None
    if column == "term":
        key = _cell_value(row, "key") if table == "terms" else _cell_value(row, "term_key")
        if not isinstance(key, str):
            return None
        href = (datasette.urls.query(database, CASES_QUERY) + "?"
                + urlencode({"term": key}))
        return markupsafe.Markup('<a href="{}" title="cases of this term">{}</a>').format(
            href, value)
    if column == "note_path" and table not in _LINKED_BY_FOREIGN_KEY:
        href = datasette.urls.row(database, "notes", tilde_encode(value))
        return markupsafe.Markup('<a href="{}">{}</a>').format(href, value)
    return None


def serve(db_path: str | Path, *, port: int = 8001, open_browser: bool = False) -> None:
    """Run Datasette over the glossary on 127.0.0.1 until interrupted."""
    import uvicorn

    datasette = make_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    url = f"http://{HOST}:{port}/{Path(db_path).stem}"
    print(f"Serving the glossary at {url} (Ctrl-C to stop)", file=sys.stderr)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(datasette.app(), host=HOST, port=port, log_level="warning", lifespan="on")

"""Browse the glossary in Datasette: the shipped metadata, gloss's templates and plugin,
and start-up.

`make_datasette` builds the real Datasette over a glossary database, served as `glossary`
whatever the file is called (so its pages live at `/glossary/...` and its templates, such
as `row-glossary-terms.html`, apply), with the metadata in `metadata.json`, the templates
in `templates/`, the style sheet in `static/` and gloss's plugin (glossary.browse.plugin).
Facet suggestions are off: they group every column of a table on every page; the facets
the metadata names stay. Canned queries show at most 200 rows.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
import webbrowser
from importlib import resources
from pathlib import Path

from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from glossary.db import read_mode
from glossary.errors import SystemRefused
from glossary.terms.lookup import SEARCH_SQL

from . import plugin

DATABASE = plugin.DATABASE
HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# No facet suggestions: they group every column of a table on every page. A canned query
# shows at most 200 rows: rendering a thousand takes longer than reading them.
SETTINGS = {"suggest_facets": False, "max_returned_rows": 200}


def load_metadata() -> dict:
    """The shipped metadata, with the search query's SQL (glossary.terms.lookup)."""
    text = resources.files(__package__).joinpath("metadata.json").read_text(encoding="utf-8")
    metadata = json.loads(text)
    metadata["databases"][DATABASE]["queries"]["search"]["sql"] = SEARCH_SQL.strip()
    return metadata


def make_datasette(db_path: str | Path, settings: dict | None = None) -> Datasette:
    """A Datasette over one glossary database, with gloss's metadata, pages and links."""
    if not pm.has_plugin("gloss"):
        pm.register(plugin, name="gloss")
    datasette = Datasette([], metadata=load_metadata(), template_dir=str(TEMPLATES),
                          static_mounts=[("-/gloss", str(STATIC))],
                          settings={**SETTINGS, **(settings or {})})
    # Where gloss cannot write, SQLite cannot make the files a reader of a changing
    # database needs: the glossary is read as immutable (glossary.db.read_mode).
    mutable = read_mode(db_path) != "immutable"
    datasette.add_database(Database(datasette, path=str(db_path), is_mutable=mutable),
                           name=DATABASE)
    plugin.serve_with(datasette)
    return datasette


class PortInUse(SystemRefused):
    """The port asked for cannot be listened on."""


def listen(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1:`port` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise PortInUse(f"port {port} on {HOST}: cannot listen ({error.strerror.lower()}); "
                        "choose another with --port (such as --port 0: any free port)"
                        ) from None
    sock.listen(128)
    return sock


def serve(db_path: str | Path, *, port: int = 8001, open_browser: bool = False) -> None:
    """Run Datasette over the glossary on 127.0.0.1 until interrupted; prints the URL on
    stderr once it listens (with the real port when `port` is 0)."""
    import uvicorn

    datasette = make_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    sock = listen(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    print(f"Serving the glossary at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])

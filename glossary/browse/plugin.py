"""gloss's own Datasette plugin: the data of its pages, its links and its search.

Registered in-process by glossary.browse.serve; it acts only for the Datasettes that
`make_datasette` built. Hooks:

- `extra_template_vars`: the home page's search results and lists, a term's page (its
  story, see glossary.browse.pages), and the internal columns a table hides;
- `filters_from_request`: the terms table's search box runs the glossary's search
  (glossary.terms.lookup), so it finds what the home page finds;
- `render_cell`: a term links to its page, a note path to its note, a status is a badge,
  Japanese is marked `lang="ja"` (so a Japanese font draws it);
- `prepare_connection` gives SQL the search's folding; `prepare_jinja2_environment` the
  filters `gloss_ruby` (furigana as `<ruby>`) and `gloss_mark` (a sentence with the term
  highlighted).

Every value that reaches a page is escaped (markupsafe) unless built here from escaped
parts.
"""

from __future__ import annotations

import weakref
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup, escape

from glossary.notes import has_japanese
from glossary.readings import furigana
from glossary.terms import lookup as searching

from . import pages

DATABASE = "glossary"
SHOW_ALL = "_internal"  # ?_internal=1 shows the columns a table hides
JAPANESE_COLUMNS = {"japanese", "canonical", "variant", "reading", "raw", "definition",
                    "written_reading", "kanji"}
# Tables whose note_path Datasette already links through a foreign key.
_LINKED_BY_FOREIGN_KEY = {"definitions", "occurrences"}
_SERVED: weakref.WeakSet = weakref.WeakSet()


def serve_with(datasette: Any) -> None:
    """Act for this Datasette (glossary.browse.serve.make_datasette calls it)."""
    _SERVED.add(datasette)


def _ours(datasette: Any, database: str | None = DATABASE) -> bool:
    return datasette in _SERVED and database in (None, DATABASE)


def ruby(japanese: str, reading: str) -> Markup:
    """Japanese with its reading over each kanji run (`<ruby>`), kana left bare."""
    if not reading:
        return Markup('<span lang="ja">{}</span>').format(japanese)
    parts = [Markup("<ruby>{}<rt>{}</rt></ruby>").format(piece.text, piece.reading)
             if piece.reading else escape(piece.text) for piece in furigana(japanese, reading)]
    return Markup('<span lang="ja">{}</span>').format(Markup("").join(parts))


def mark(sentence: str, text: str) -> Markup:
    """The sentence with the first place it says `text` highlighted (any case)."""
    at = sentence.casefold().find(text.casefold()) if text else -1
    if at < 0 or len(sentence.casefold()) != len(sentence):
        return escape(sentence)
    end = at + len(text)
    return Markup("{}<mark>{}</mark>{}").format(sentence[:at], sentence[at:end], sentence[end:])


def web_url(url: str) -> str:
    """The URL if it is a web address (http or https), else "": no `javascript:` links."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) \
        else ""


def _links(datasette: Any) -> dict:
    """URL builders for the templates: a term's page, a note's row, a term's cases."""
    urls = datasette.urls

    def cases(key: str, variant: str | None = None) -> str:
        query = {"term_key": key, "_sort_desc": "date"}
        if variant is not None:
            query["variant__exact"] = variant
        return f"{urls.table(DATABASE, 'term_cases')}?{urlencode(query)}"

    return {
        "gloss_term_url": lambda key: urls.row(DATABASE, "terms", tilde_encode(key)),
        "gloss_note_url": lambda path: urls.row(DATABASE, "notes", tilde_encode(path)),
        "gloss_cases_url": cases,
    }


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    if _ours(datasette, database):
        searching.register(conn)


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.filters["gloss_ruby"] = ruby
    env.filters["gloss_mark"] = mark
    env.filters["gloss_web_url"] = web_url


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/-/gloss/gloss.css")] if _ours(datasette) else []


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None,
                        view_name: str, request: Any, datasette: Any) -> Any:
    if not _ours(datasette, database) or request is None:
        return {}
    db = datasette.get_database(DATABASE)

    async def page_vars() -> dict:
        found = _links(datasette)
        if view_name == "index":
            query = request.args.get("q", "")
            found["gloss_home"] = await db.execute_fn(lambda conn: pages.home(conn, query))
        elif view_name == "row" and table == "terms":
            key = urlsafe_components(request.url_vars["pks"])[0]
            found["gloss_term"] = await db.execute_fn(lambda conn: pages.term_page(conn, key))
        elif view_name == "table" and table:
            internal = datasette.table_metadata(database, table).get("internal_columns", [])
            found["gloss_table"] = {
                "internal": internal, "showing_internal": bool(request.args.get(SHOW_ALL)),
                "search": request.args.get("_search", ""), "searchable": table == "terms"}
        return found

    return page_vars


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any
                         ) -> FilterArguments | None:
    query = request.args.get("_search", "")
    if table != "terms" or not query.strip() or not _ours(datasette, database):
        return None
    matches = searching.MATCHES_SQL.replace(":q", ":gloss_search")
    return FilterArguments([f"key in (select term_key from ({matches}))"],
                           {"gloss_search": query},
                           [f'search finds "{query}"'])


def _value(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:
    if not _ours(datasette, database) or not isinstance(value, str) or not value:
        return None
    if column == "term":
        key = _value(row, "key") if table in ("terms", "glossary_gojuon") else None
        key = key or _value(row, "term_key")
        if not isinstance(key, str):
            return None
        undefined = _value(row, "status") == "undefined"
        return Markup('<a href="{}" class="gloss-term{}">{}</a>').format(
            datasette.urls.row(DATABASE, "terms", tilde_encode(key)),
            " gloss-undefined" if undefined else "", value)
    if column == "status":
        return Markup('<span class="gloss-status gloss-status-{}">{}</span>').format(
            value, value)
    if column == "note_path" and table not in _LINKED_BY_FOREIGN_KEY:
        return Markup('<a href="{}">{}</a>').format(
            datasette.urls.row(DATABASE, "notes", tilde_encode(value)), value)
    if column in JAPANESE_COLUMNS and has_japanese(value):
        return Markup('<span lang="ja">{}</span>').format(value)
    return None

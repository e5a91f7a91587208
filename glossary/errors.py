"""The one kind of failure gloss explains instead of crashing."""


class GlossError(Exception):
    """Input gloss cannot use, or a glossary it cannot open, said in one line that names
    the thing and the reason (the command line prints it and exits with status 2)."""

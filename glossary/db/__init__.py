"""The glossary database: its shape, opening it, the notes' rows, and the lock that lets
one gloss at a time change it."""

from .failures import explained
from .lock import LockTimeout, glossary_lock
from .open import DatabaseError, open_db, read_mode
from .schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "DatabaseError", "LockTimeout", "explained", "glossary_lock",
           "open_db", "read_mode"]

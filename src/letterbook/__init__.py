"""letterbook: a digital archive for historical correspondence.

    >>> import letterbook
    >>> letters = letterbook.read("letter.txt")
    >>> letters[0].sender.name
    >>> with letterbook.Archive.open("letters.db") as archive:
    ...     archive.ingest(["edition/"])
    ...     archive.search('from:"J. Stalin" year:1945').total
"""

from .archive import Archive
from .errors import LetterbookError, UnreadableFile
from .model import Agent, Collection, Letter, Link, Note, Place, Source, When
from .read import read, read_text

__all__ = [
    "Agent",
    "Archive",
    "Collection",
    "Letter",
    "LetterbookError",
    "Link",
    "Note",
    "Place",
    "Source",
    "UnreadableFile",
    "When",
    "read",
    "read_text",
]
__version__ = "0.1.0"

"""The errors letterbook raises, each with a message a historian can act on."""

from __future__ import annotations


class LetterbookError(Exception):
    """Anything letterbook refuses to do, with a plain-language reason.

    ``status`` is the HTTP status the web layer answers with (400: the request cannot be done).
    """

    status = 400


class UnreadableFile(LetterbookError):
    """A file that could not be read as letters: names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class LetterNotFound(LetterbookError):
    """No letter has this id (or it was withdrawn): names the id, and why when known."""

    status = 404

    def __init__(self, id: str, reason: str | None = None) -> None:
        super().__init__(f"no letter has the id {id!r}" + (f": {reason}" if reason else ""))
        self.id = id
        self.reason = reason


class PersonNotFound(LetterbookError):
    """No person or organisation of the archive has this id."""

    status = 404

    def __init__(self, id: str) -> None:
        super().__init__(f"no person has the id {id!r} (letterbook people lists them)")
        self.id = id


class PlaceNotFound(LetterbookError):
    """No place of the archive has this id."""

    status = 404

    def __init__(self, id: str) -> None:
        super().__init__(f"no place has the id {id!r} (letterbook places lists them)")
        self.id = id


class ArchiveError(LetterbookError):
    """An archive that cannot be opened or used as asked: names it and says why."""

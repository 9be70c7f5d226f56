"""The errors letterbook raises, each with a message a historian can act on."""

from __future__ import annotations


class LetterbookError(Exception):
    """Anything letterbook refuses to do, with a plain-language reason."""


class UnreadableFile(LetterbookError):
    """A file that could not be read as letters: names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

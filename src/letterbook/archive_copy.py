"""Copying an archive to another store: ``letterbook copy --from URL --to URL``.

The store is copied row for row (``letterbook.store.transfer``: letters, files, corrections,
history, the change sequence, enrichment's findings, with every count checked); then the target's
search index is built from its letters, so the copy answers searches at once.
"""

from __future__ import annotations

import os

from .archive import Archive
from .store.transfer import CopyListener, CopyReport, copy_store

__all__ = ["CopyReport", "copy_archive"]


def copy_archive(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
                 progress: CopyListener | None = None) -> CopyReport:
    """Give the report of copying the archive at ``source`` into a new, empty archive at ``target``
    (a path or ``sqlite:///PATH``, or ``postgresql://...``, either way round).

    ``progress`` is called with the table being copied, rows done and rows in all; then with
    ``"search index"`` while the target's index is built. Raises ``ArchiveError`` when the target
    is not empty or when the counts differ at the end (the target then keeps nothing).
    """
    source_url, target_url = os.fspath(source), os.fspath(target)
    report = copy_store(source_url, target_url, progress=progress)
    if progress is not None:
        progress("search index", 0, report.letters - report.withdrawn)
    with Archive.open(target_url) as archive:  # opening builds the new index from the letters
        if archive.index.count() != archive.store.count():
            archive.reindex()
        report.indexed = archive.index.count()
    if progress is not None:
        progress("search index", report.indexed, report.letters - report.withdrawn)
    return report

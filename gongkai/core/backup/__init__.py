"""Backup and restore of the whole platform: one archive with the database in a portable form, every stored
file, the audit head and the id of the audit key (never the key), and a manifest (README: Backup and restore).

``scope`` says which tables are backed up, in which order, and what an "empty" database is; ``writer`` writes
an archive, ``reader`` restores one. Both are plain callables; the management commands `gongkai backup` and
`gongkai restore` only parse arguments and print.
"""

from collections.abc import Callable

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# What is derived from rows and not backed up (the SQLite full-text index, the cached public pages), rebuilt
# after a restore has committed: each app registers its rebuild in ``AppConfig.ready()``.
_AFTER_RESTORE: list[Callable[[], object]] = []


def after_restore(rebuild: Callable[[], object]) -> None:
    """Call ``rebuild()`` after every restore (registering the same callable again changes nothing)."""
    if rebuild not in _AFTER_RESTORE:
        _AFTER_RESTORE.append(rebuild)


def rebuild_after_restore() -> None:
    for rebuild in _AFTER_RESTORE:
        rebuild()


class BackupError(Exception):
    """A backup or restore refused or failed; the message is in Chinese and says what to do."""

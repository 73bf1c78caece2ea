"""Backup and restore of the whole platform: one archive with the database in a portable form, every stored
file, the audit head and the id of the audit key (never the key), and a manifest (README: Backup and restore).

``scope`` says which tables are backed up, in which order, and what an "empty" database is; ``writer`` writes
an archive, ``reader`` restores one. Both are plain callables; the management commands `gongkai backup` and
`gongkai restore` only parse arguments and print.
"""

from django.dispatch import Signal

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# Sent after a restore has committed, so that apps rebuild what is derived from rows and not backed up
# (the SQLite full-text index, for one). Receivers get ``using``.
restored = Signal()


class BackupError(Exception):
    """A backup or restore refused or failed; the message is in Chinese and says what to do."""

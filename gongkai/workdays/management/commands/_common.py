"""Shared by the workdays commands: errors printed as plain Chinese messages."""

from __future__ import annotations

from django.core.management.base import CommandError


class InputError(CommandError):
    """Bad input: Django prints ``<class name>: <message>`` and exits 1, so the name is Chinese."""


InputError.__name__ = InputError.__qualname__ = "错误"

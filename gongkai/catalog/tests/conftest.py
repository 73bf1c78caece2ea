"""Catalogue test fixtures: run on-commit side effects (the search index) inside test transactions."""

from __future__ import annotations

import pytest


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Use as a context manager around a service call whose on_commit work the test needs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

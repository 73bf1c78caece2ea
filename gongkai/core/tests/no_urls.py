"""An empty URLconf: what is answered with it was answered before URL resolution (core/tests/test_pagecache.py)."""

urlpatterns: list[object] = []

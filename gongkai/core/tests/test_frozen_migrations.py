"""Core migration 0002 carries a frozen copy of the keyed chain hash: it must agree with gongkai.core.chain.

The chain format is versioned by its algorithm name, so for every algorithm the migration knows, the live
chain_hash must still compute the same hash (a change of format needs a new algorithm name, not an edit).
"""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.core import chain

migration = importlib.import_module("gongkai.core.migrations.0002_audit_hmac")

CONTENT = {
    "id": 7,
    "created_at": "2026-12-06T08:00:00.000001+00:00",
    "actor_id": 3,
    "actor_name": "张三",
    "org_id": None,
    "org_code": "",
    "object_type": "catalog.item",
    "object_id": "42",
    "object_repr": "关于“公开”的通知\n第二行",
    "action": "update",
    "changes": {"status": ["draft", "published"], "n": [1, 2.5], "tags": ["甲", None]},
    "ip": "127.0.0.1",
    "alg": "hmac-sha256",
}


@pytest.mark.parametrize("alg", sorted(migration.KEYED_ALGORITHMS))
def test_the_frozen_chain_hash_agrees_with_the_live_one(alg):
    content = {**CONTENT, "alg": alg}
    for key in (None, b"another-key-of-16+bytes"):
        assert migration.chain_hash(alg, "0" * 64, content, key=key) == chain.chain_hash(
            alg, "0" * 64, content, key=key
        )
    assert migration.chain_hash(alg, "f" * 64, content) != migration.chain_hash(alg, "0" * 64, content)


def test_the_frozen_algorithms_are_live_ones_and_chosen_alike(settings):
    assert migration.KEYED_ALGORITHMS <= chain.KEYED_ALGORITHMS
    for name in ("sha256", "sm3", "SM3", "", None):
        settings.GONGKAI_AUDIT_HASH = name
        assert migration.current_algorithm() == chain.current_algorithm()
    settings.GONGKAI_AUDIT_HASH = "md5"
    for current in (migration.current_algorithm, chain.current_algorithm):
        with pytest.raises(ImproperlyConfigured):
            current()


def test_the_frozen_key_check_agrees_with_the_live_one(settings):
    assert migration.audit_key() == chain.audit_key()
    settings.GONGKAI_AUDIT_KEY = "too-short"
    for key in (migration.audit_key, chain.audit_key):
        with pytest.raises(ImproperlyConfigured):
            key()
    with pytest.raises(ValueError, match="未知的审计哈希算法"):
        migration.chain_hash("hmac-md5", "0" * 64, CONTENT, key=b"k" * 16)

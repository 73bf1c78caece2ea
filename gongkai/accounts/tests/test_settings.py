"""The production security and locale baseline (config/settings/base.py), read from the module itself.

The test settings swap the password hasher for speed, so these tests import the production module
directly rather than reading django.conf.settings.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

import config.settings.base as base


def test_argon2_is_the_production_password_hasher():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_passwords_are_at_least_ten_characters():
    (length_rule,) = [
        v for v in base.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith(".MinimumLengthValidator")
    ]
    assert length_rule["OPTIONS"] == {"min_length": 10}


def test_passwords_need_three_character_classes():
    (class_rule,) = [
        v
        for v in base.AUTH_PASSWORD_VALIDATORS
        if v["NAME"] == "gongkai.accounts.validators.CharacterClassValidator"
    ]
    assert class_rule["OPTIONS"] == {"min_classes": 3}


def test_test_settings_keep_the_production_password_rules():
    assert settings.AUTH_PASSWORD_VALIDATORS == base.AUTH_PASSWORD_VALIDATORS


def test_account_locks_for_fifteen_minutes_after_five_failures():
    assert base.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == base.AXES_COOLOFF_TIME
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]  # not the username alone (N1)


def test_idle_sessions_end_after_thirty_minutes():
    assert base.SESSION_COOKIE_AGE == 1800
    assert base.SESSION_SAVE_EVERY_REQUEST is True


def test_locale_is_china():
    assert base.TIME_ZONE == "Asia/Shanghai"
    assert base.LANGUAGE_CODE == "zh-hans"
    assert base.USE_TZ is True


def test_content_security_policy_defaults_to_self():
    directives = base.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_argon2_actually_hashes():
    # given the argon2 hasher, which the test settings keep available
    # when a password is hashed with it
    encoded = make_password("Gongkai#2026x", hasher="argon2")

    # then the result is an argon2 hash that checks the password, and only that password
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("Gongkai#2026x", encoded)
    assert not check_password("Gongkai#2026y", encoded)

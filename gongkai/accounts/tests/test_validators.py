"""Tests for the password rules (accounts/validators.py and the project's AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from gongkai.accounts.validators import CharacterClassValidator

# fmt: off
CLASSES = [
    # password          classes  note
    ("",                0,       "empty"),
    ("abcdefgh",        1,       "lower"),
    ("ABCDEFGH",        1,       "upper"),
    ("12345678",        1,       "digits"),
    ("!@#$%^&*",        1,       "symbols"),
    ("abcDEF",          2,       "lower + upper"),
    ("abc123",          2,       "lower + digit"),
    ("abc 123",         3,       "a space is a symbol"),
    ("abcDEF12",        3,       "lower + upper + digit"),
    ("abc12#$%",        3,       "lower + digit + symbol"),
    ("ABC12#$%",        3,       "upper + digit + symbol"),
    ("abcDEF1!",        4,       "all four"),
    ("公开公开公开",      0,       "Chinese characters are letters without case: no class"),
    ("公开abc123",       2,       "Chinese characters add nothing"),
    ("ＡＢＣａｂｃ１２",   3,       "full-width letters and digits count"),
]
# fmt: on


@pytest.mark.parametrize(("password", "classes", "note"), CLASSES, ids=[c[2] for c in CLASSES])
def test_character_classes(password, classes, note):
    assert CharacterClassValidator.classes(password) == classes


@pytest.mark.parametrize("min_classes", [1, 2, 3, 4])
@pytest.mark.parametrize(("password", "classes", "note"), CLASSES, ids=[c[2] for c in CLASSES])
def test_validator_accepts_exactly_when_enough_classes(password, classes, note, min_classes):
    validator = CharacterClassValidator(min_classes=min_classes)
    if classes >= min_classes:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as excinfo:
            validator.validate(password)
        assert excinfo.value.code == "password_too_simple"
        assert f"中的 {min_classes} 类" in excinfo.value.messages[0]


def test_validator_defaults_to_three_classes_and_explains_itself():
    validator = CharacterClassValidator()
    assert validator.min_classes == 3
    assert validator.get_help_text() == "密码须至少包含大写字母、小写字母、数字、特殊符号中的 3 类。"
    assert validator.get_help_text() in password_validators_help_texts()


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("short1A!", {"password_too_short"}),
        ("alllowercase1", {"password_too_simple"}),
        ("Password123", {"password_too_common"}),
        ("20260315987", {"password_too_simple", "password_entirely_numeric"}),
    ],
)
def test_project_validators_reject_weak_passwords(password, codes):
    # given the project's validators (from settings) / when a weak password is checked
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)

    # then it is refused for exactly the expected reasons
    assert {e.code for e in excinfo.value.error_list} == codes


def test_too_short_message_names_the_minimum_of_ten():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("short1A!")
    assert "10" in excinfo.value.messages[0]


@pytest.mark.parametrize("password", ["Gongkai#2026x", "zhengfu gongkai 2026", "公开Gongkai2026"])
def test_project_validators_accept_strong_passwords(password):
    assert validate_password(password) is None

"""Check digits of the 组织机构代码 (GB 11714) and the 统一社会信用代码 (GB 32100)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.orgs.codes import USCC_CHARSET, code_error, normalise, org_code_check_char, uscc_check_char

ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CHECK_CHARS = "0123456789X"


@pytest.mark.parametrize(
    "code",
    [
        # 0*3+0*7+0*9+0*10+1*5+4*8+3*4+4*2 = 57; 57 mod 11 = 2; 11-2 = 9.
        "000014349",
        # 1*3+2*7+3*9+4*10+5*5+6*8+7*4+8*2 = 201; 201 mod 11 = 3; 11-3 = 8.
        "123456788",
        # Letters count 10..35: D=13 → 39+14+9+40+15+40+24+18 = 199; 199 mod 11 = 1; 11-1 = 10 → X.
        "D2143569X",
        # 8*3+8*2 = 40 (zeros elsewhere); 40 mod 11 = 7; 11-7 = 4.
        "800000084",
        # 11 - 0 = 11 → check character 0 (body 00000000 sums to 0).
        "000000000",
        # The worked example in GB 32100-2015 (its embedded org code M000100Y4 is valid too).
        "91350100M000100Y43",
        # Published codes of real companies: 华为技术有限公司, 深圳市腾讯计算机系统有限公司.
        "914403001922038216",
        "9144030071526726XG",
    ],
)
def test_valid_codes_have_no_error(code):
    # given a real or hand-computed code / when checked / then it passes
    assert code_error(code) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("12345678-8", None),  # the hyphen printed before the check digit
        (" d2143569-x ", None),  # lower case and spaces, as typed
        ("91350100m000100y43", None),
        ("００００１４３４－９", None),  # full-width, as typed with a Chinese input method
        ("９１３５０１００Ｍ０００１００Ｙ４３", None),
        ("000014348", "组织机构代码校验码错误（应为 9）"),
        ("D2143569-0", "组织机构代码校验码错误（应为 X）"),
        ("00001434A", "组织机构代码应为8位数字或大写字母加1位校验码"),
        ("0000#4349", "组织机构代码应为8位数字或大写字母加1位校验码"),
        ("91350100M000100Y44", "统一社会信用代码校验码错误（应为 3）"),
        ("91350100M000100I43", "统一社会信用代码含有不允许的字符：I"),
        ("9135O100M000S00Y43", "统一社会信用代码含有不允许的字符：OS"),
        ("14349", "代码长度应为9位（组织机构代码）或18位（统一社会信用代码），实际为5位"),
        ("", "代码长度应为9位（组织机构代码）或18位（统一社会信用代码），实际为0位"),
    ],
)
def test_code_error_table(code, expected):
    # given a code as a clerk might type it / when checked / then the reason (or None) is exact
    assert code_error(code) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678-8", "123456788"),
        ("12345678－8", "123456788"),
        (" ab 12 ", "AB12"),
        ("１２３４５６７８　８", "123456788"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@given(st.text(alphabet=ORG_BODY_CHARS, min_size=8, max_size=8))
def test_org_code_body_with_computed_check_char_validates(body):
    # given any 8-character body / when its check character is appended / then the code is valid
    assert code_error(body + org_code_check_char(body)) is None


@given(st.text(alphabet=ORG_BODY_CHARS, min_size=8, max_size=8), st.sampled_from(ORG_CHECK_CHARS))
def test_org_code_with_any_other_check_char_fails(body, check):
    # given a body and a check character that is not the computed one
    if check == org_code_check_char(body):
        check = ORG_CHECK_CHARS[(ORG_CHECK_CHARS.index(check) + 1) % len(ORG_CHECK_CHARS)]
    # when checked / then it is refused for its check digit
    assert "校验码错误" in str(code_error(body + check))


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_uscc_body_with_computed_check_char_validates(body):
    assert code_error(body + uscc_check_char(body)) is None


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17), st.sampled_from(USCC_CHARSET))
def test_uscc_with_any_other_check_char_fails(body, check):
    if check == uscc_check_char(body):
        check = USCC_CHARSET[(USCC_CHARSET.index(check) + 1) % len(USCC_CHARSET)]
    assert "校验码错误" in str(code_error(body + check))

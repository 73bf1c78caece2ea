"""Check digits of the 组织机构代码 (GB 11714-1997) and the 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

import re
import unicodedata

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_BODY = re.compile(r"^[0-9A-Z]{8}$")


def normalise(code: str) -> str:
    """Upper-case, strip spaces and the hyphen often printed before the check digit.

    Full-width characters (typed with a Chinese input method: ``９１３５…``) become ASCII first.
    """
    return re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", code or "")).upper()


def org_code_check_char(body: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check_char(body: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def code_error(code: str) -> str | None:
    """None when ``code`` is a valid 9-character or 18-character code, else the reason in Chinese."""
    code = normalise(code)
    if len(code) == 9:
        if not _ORG_BODY.match(code[:8]) or not re.match(r"^[0-9X]$", code[8]):
            return "组织机构代码应为8位数字或大写字母加1位校验码"
        if org_code_check_char(code[:8]) != code[8]:
            return f"组织机构代码校验码错误（应为 {org_code_check_char(code[:8])}）"
        return None
    if len(code) == 18:
        bad = sorted({c for c in code if c not in USCC_CHARSET})
        if bad:
            return f"统一社会信用代码含有不允许的字符：{''.join(bad)}"
        if uscc_check_char(code[:17]) != code[17]:
            return f"统一社会信用代码校验码错误（应为 {uscc_check_char(code[:17])}）"
        return None
    return f"代码长度应为9位（组织机构代码）或18位（统一社会信用代码），实际为{len(code)}位"

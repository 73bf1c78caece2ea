"""信息处理费 per 国办函〔2020〕109号: 按件计收 and 按量计收, progressive (超额累进), with the computation shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .vocab import FeeMethod

FREE_APPLICATIONS = 10  # 第四条: ≤ 10 件 per calendar month free
FIRST_BAND_LAST = 30  # 11–30 件 at 100元/件
FIRST_BAND_PRICE = 100
BAND_SIZE = 10  # from the 31st 件: each further band of 10 costs 100元/件 more

# 第五条: (first page, last page or None, 元/页)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = ((31, 100, 10), (101, 200, 20), (201, None, 40))
FREE_PAGES = 30


@dataclass(frozen=True)
class Fee:
    method: FeeMethod
    quantity: int
    amount: Decimal
    computation: str  # Chinese, shown to staff and printed in the 收费通知书


def price_of_nth_application(n: int) -> int:
    """元 charged for the applicant's n-th application of the calendar month (第四条)."""
    if n <= FREE_APPLICATIONS:
        return 0
    if n <= FIRST_BAND_LAST:
        return FIRST_BAND_PRICE
    return FIRST_BAND_PRICE * (2 + (n - FIRST_BAND_LAST - 1) // BAND_SIZE)


def month_total(n: int) -> int:
    """Total 元 for n applications by one applicant in one calendar month (e.g. 35 → 3000)."""
    return sum(price_of_nth_application(k) for k in range(1, n + 1))


def _band_text(n: int) -> str:
    if n <= FREE_APPLICATIONS:
        return f"第 1–{FREE_APPLICATIONS} 件"
    if n <= FIRST_BAND_LAST:
        return f"第 {FREE_APPLICATIONS + 1}–{FIRST_BAND_LAST} 件"
    lo = FIRST_BAND_LAST + 1 + ((n - FIRST_BAND_LAST - 1) // BAND_SIZE) * BAND_SIZE
    return f"第 {lo}–{lo + BAND_SIZE - 1} 件"


def fee_per_application(n: int) -> Fee:
    """按件计收 (109号第四条): this application is the applicant's n-th in the calendar month.

    ≤ 10 件 free; 11–30 件 100元/件; from the 31st, each band of 10 件 costs 100元/件 more
    (31–40: 200, 41–50: 300, …). The month's total is the sum over its bands (超额累进).
    """
    if n < 1:
        raise ValueError("件数应为正整数。")
    price = price_of_nth_application(n)
    text = f"按件计收：本件为该申请人本自然月内第 {n} 件申请，属{_band_text(n)}档，"
    text += "免费。" if price == 0 else f"收费标准 {price} 元/件，本件应缴 {price} 元。"
    parts: list[str] = []
    if n > FREE_APPLICATIONS:
        parts.append(f"({min(n, FIRST_BAND_LAST)}−{FREE_APPLICATIONS})×{FIRST_BAND_PRICE}")
    lo = FIRST_BAND_LAST
    while n > lo:
        hi = min(n, lo + BAND_SIZE)
        parts.append(f"({hi}−{lo})×{price_of_nth_application(lo + 1)}")
        lo += BAND_SIZE
    if parts:
        text += (
            f"本月累计 {n} 件合计：{' + '.join(parts)} = {month_total(n)} 元（国办函〔2020〕109号第四条）。"
        )
    else:
        text += "（国办函〔2020〕109号第四条：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费。）"
    return Fee(FeeMethod.PER_APPLICATION, n, Decimal(price), text)


def fee_per_page(pages: int) -> Fee:
    """按量计收 (109号第五条), per application: ≤ 30页 free; 31–100页 10元/页; 101–200页 20元/页; ≥ 201页 40元/页."""
    if pages < 0:
        raise ValueError("页数不能为负数。")
    total = 0
    parts: list[str] = []
    for first, last, price in PAGE_BANDS:
        if pages < first:
            break
        upper = pages if last is None else min(pages, last)
        count = upper - first + 1
        total += count * price
        parts.append(f"({upper}−{first - 1})×{price}")
    text = f"按量计收：本件共 {pages} 页，"
    if total == 0:
        text += f"不超过 {FREE_PAGES} 页，免费（国办函〔2020〕109号第五条）。"
    else:
        text += f"{' + '.join(parts)} = {total} 元（国办函〔2020〕109号第五条，超额累进）。"
    return Fee(FeeMethod.PER_PAGE, pages, Decimal(total), text)


def compute_fee(method: FeeMethod | str, quantity: int) -> Fee:
    """The fee under the method the agency chose (第三条: one method per application, never both)."""
    if FeeMethod(method) == FeeMethod.PER_APPLICATION:
        return fee_per_application(quantity)
    return fee_per_page(quantity)

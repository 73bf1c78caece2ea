"""Fees per 国办函〔2020〕109号: the worked examples and the progressive rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.fees import fee_per_application, fee_per_page, month_total, price_of_nth_application


@pytest.mark.parametrize(
    ("n", "price"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)]
)
def test_per_application_band_prices(n, price):
    assert price_of_nth_application(n) == price


def test_worked_examples():
    assert month_total(35) == 3000  # (30−10)×100 + 5×200
    assert fee_per_page(150).amount == Decimal(1700)  # 70×10 + 50×20
    assert "(30−10)×100 + (35−30)×200 = 3000" in fee_per_application(35).computation


@pytest.mark.parametrize(
    ("pages", "amount"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_per_page_bands(pages, amount):
    assert fee_per_page(pages).amount == Decimal(amount)


@given(st.integers(min_value=0, max_value=2000))
def test_per_page_is_monotonic_and_marginal_price_matches_band(pages):
    step = fee_per_page(pages + 1).amount - fee_per_page(pages).amount
    expected = 0 if pages + 1 <= 30 else 10 if pages + 1 <= 100 else 20 if pages + 1 <= 200 else 40
    assert step == expected


@given(st.integers(min_value=1, max_value=500))
def test_month_total_is_sum_of_band_prices(n):
    assert month_total(n) - month_total(n - 1) == price_of_nth_application(n)

"""索引号: format, per-organisation-year serials, imported numbers kept, uniqueness under concurrency."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gongkai.catalog import index_numbers
from gongkai.catalog.models import IndexCounter, validate_index_no
from gongkai.orgs.tests.factories import OrganisationFactory, valid_org_code

from .factories import draft_item


@pytest.mark.django_db
def test_generated_number_is_org_code_year_and_five_digit_serial():
    # Given an organisation with a 9-character 组织机构代码
    org = OrganisationFactory(code=valid_org_code(1434))
    # When two items are drafted
    first, second = draft_item(org), draft_item(org)
    # Then their numbers are code/YYYY-00001 and -00002
    year = first.created_at.astimezone().year
    assert first.index_no == f"{org.code}/{year}-00001"
    assert second.index_no == f"{org.code}/{year}-00002"
    assert re.fullmatch(r"[0-9A-Z]{9}/\d{4}-\d{5}", first.index_no) and len(first.index_no) == 20


@pytest.mark.django_db
def test_uscc_organisation_uses_the_embedded_org_code():
    # Given an organisation identified by an 18-character 统一社会信用代码
    from gongkai.backoffice.demo import uscc

    code = uscc(10000003)
    org = OrganisationFactory(code=code)
    # When an item is drafted, then the 前段码 is the 9-character code inside it
    assert draft_item(org).index_no.startswith(code[8:17] + "/")


@pytest.mark.django_db
def test_serials_are_per_year_and_never_reused():
    # Given serials drawn in two years
    org = OrganisationFactory()
    a = index_numbers.index_no_allocate(org=org, year=2025)
    b = index_numbers.index_no_allocate(org=org, year=2026)
    # When a draft holding a number is deleted (the number is lost, not handed back)
    item = draft_item(org)
    item.delete()
    # Then the next draft gets a fresh serial
    assert a.endswith("/2025-00001") and b.endswith("/2026-00001")
    assert draft_item(org).index_no != item.index_no


@pytest.mark.django_db
def test_imported_item_keeps_its_number_and_allocation_skips_it():
    # Given an item imported with the number the next allocation would produce
    org = OrganisationFactory()
    year = 2026
    taken = f"{index_numbers.org_code9(org)}/{year}-00001"
    imported = draft_item(org, index_no=taken)
    # When a number is allocated for the same org and year
    fresh = index_numbers.index_no_allocate(org=org, year=year)
    # Then the imported item kept its number and the allocation skipped it
    assert imported.index_no == taken and imported.imported
    assert fresh.endswith("-00002")


@pytest.mark.parametrize(
    "value,ok",
    [
        ("000014349/2020-00072", True),
        ("0142768-8/2022-00185", True),
        ("11341702486344515H/202110-00013", True),
        ("lanshanquczj/2020-0000077", True),
        ("000014349-2020-00072", False),
        ("000014349/20-1", False),
        ("", False),
    ],
)
def test_index_number_validator_accepts_published_variants(value, ok):
    if ok:
        validate_index_no(value)
    else:
        with pytest.raises(ValidationError):
            validate_index_no(value)


@pytest.mark.django_db
def test_duplicate_imported_number_is_refused():
    org = OrganisationFactory()
    draft_item(org, index_no="000014349/2020-00072")
    with pytest.raises(ValidationError):
        draft_item(org, index_no="000014349/2020-00072")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_duplicate():
    # (SQLite's shared-cache test database cannot take concurrent writers; production SQLite
    # serialises them with IMMEDIATE transactions. The row lock is what PostgreSQL needs proving.)
    if connection.vendor != "postgresql":
        pytest.skip("并发分配测试需要 PostgreSQL（DATABASE_URL）")
    # Given one organisation and many threads, each with its own database connection
    org = OrganisationFactory()
    total = 1000

    def draw(_: int) -> str:
        try:
            return index_numbers.index_no_allocate(org=org, year=2026)
        finally:
            connection.close()

    # When they all draw numbers for the same organisation and year at once
    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(draw, range(total)))
    # Then every number is distinct, the serials are exactly 1..N and the counter says N
    assert len(set(numbers)) == total
    assert sorted(int(n[-5:]) for n in numbers) == list(range(1, total + 1))
    assert IndexCounter.objects.get(org=org, year=2026).last == total

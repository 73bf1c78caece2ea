"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest

from gongkai.orgs.models import Level, OrgKind
from gongkai.orgs.tests.factories import OrganisationFactory


@pytest.fixture
def org_tree(db):
    """city → county (own) → department (child); city → other county (sibling of own)."""
    city = OrganisationFactory(name="测试市人民政府", level=Level.CITY, kind=OrgKind.GOVERNMENT)
    county = OrganisationFactory(name="测试县人民政府", parent=city, level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    dept = OrganisationFactory(name="测试县财政局", parent=county, level=Level.COUNTY, kind=OrgKind.DEPARTMENT)
    sibling = OrganisationFactory(name="邻县人民政府", parent=city, level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    return {"parent": city, "own": county, "child": dept, "sibling": sibling}

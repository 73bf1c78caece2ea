"""The handling office (政府信息公开工作机构, ``Organisation.handling_office``): its rules, its audited change,
and what it grants — the applications of the organisations it handles, nothing else of theirs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.orgs import services
from gongkai.orgs.handling import handling_office_of
from gongkai.orgs.models import Level, OrgKind, Role
from gongkai.orgs.permissions import (
    Action,
    application_orgs_where,
    can,
    can_for_applications,
    orgs_where,
    require_for_applications,
)
from gongkai.orgs.tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    """A county government handled by its 县政府办 (a department below it), and a finance bureau."""
    city = OrganisationFactory(name="样例市人民政府", level=Level.CITY, kind=OrgKind.GOVERNMENT)
    gov = OrganisationFactory(name="样例县人民政府", parent=city, kind=OrgKind.GOVERNMENT)
    office = OrganisationFactory(name="样例县人民政府办公室", parent=gov)
    finance = OrganisationFactory(name="样例县财政局", parent=gov)
    services.org_set_handling_office(actor=SYSTEM_TEST, org=gov, office=office)
    gov.refresh_from_db()
    return {"city": city, "gov": gov, "office": office, "finance": finance}


# --- the rules ---------------------------------------------------------------------------------


def test_empty_means_the_organisation_itself(county):
    assert handling_office_of(county["gov"]) == county["office"]
    assert handling_office_of(county["finance"]) == county["finance"]
    # naming itself is stored as empty
    services.org_set_handling_office(actor=SYSTEM_TEST, org=county["finance"], office=county["finance"])
    county["finance"].refresh_from_db()
    assert county["finance"].handling_office_id is None


def test_no_chain_and_no_cycle(county):
    # the office handles for itself: it cannot hand its own applications on (would be a chain) …
    with pytest.raises(ValidationError) as exc:
        services.org_set_handling_office(actor=SYSTEM_TEST, org=county["office"], office=county["finance"])
    assert "不能形成转办链或循环" in str(exc.value)
    # … nor back to the government it handles for (a cycle)
    with pytest.raises(ValidationError):
        services.org_set_handling_office(actor=SYSTEM_TEST, org=county["office"], office=county["gov"])
    # and an organisation handled by another cannot be named a handling office
    with pytest.raises(ValidationError) as exc:
        services.org_set_handling_office(actor=SYSTEM_TEST, org=county["finance"], office=county["gov"])
    assert "本身的申请由其他机构办理" in str(exc.value)


def test_office_must_be_active_and_stays_active_while_it_handles(county):
    closed = OrganisationFactory(name="样例县已撤销机构", parent=county["gov"], is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.org_set_handling_office(actor=SYSTEM_TEST, org=county["finance"], office=closed)
    assert "已停用" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.org_update(actor=SYSTEM_TEST, org=county["office"], is_active=False)
    assert "停用前请先为这些机关改设其他工作机构" in str(exc.value)


def test_change_is_audited(county):
    entry = AuditEntry.objects.filter(object_id=str(county["gov"].pk)).order_by("-id").first()
    assert entry is not None
    assert entry.changes["handling_office"] == [None, county["office"].pk]


def test_change_needs_manage_on_both_organisations(county):
    finance_admin = staff(Role.OFFICE_ADMIN, county["finance"])
    # the finance bureau's admin may not hand its applications to an office it does not manage
    with pytest.raises(PermissionDenied):
        services.org_set_handling_office(actor=finance_admin, org=county["finance"], office=county["office"])
    county_admin = staff(Role.OFFICE_ADMIN, county["gov"])
    services.org_set_handling_office(actor=county_admin, org=county["finance"], office=county["office"])
    county["finance"].refresh_from_db()
    assert county["finance"].handling_office == county["office"]


# --- what it grants ----------------------------------------------------------------------------


def test_office_clerk_handles_the_governments_applications_only(county):
    clerk = staff(Role.CLERK, county["office"])
    gov = county["gov"]
    # the applications of the 县政府: seen and handled
    assert can_for_applications(clerk, Action.VIEW, gov)
    assert can_for_applications(clerk, Action.EDIT, gov)
    require_for_applications(clerk, Action.EDIT, gov)
    assert set(application_orgs_where(clerk, Action.EDIT)) == {county["office"], gov}
    # nothing else of the 县政府 (its items, reports, organisation data)
    assert not can(clerk, Action.VIEW, gov)
    assert gov not in orgs_where(clerk, Action.VIEW)
    # and nothing of an organisation the office does not handle
    assert not can_for_applications(clerk, Action.VIEW, county["finance"])
    assert not can_for_applications(clerk, Action.VIEW, county["city"])


def test_unrelated_staff_do_not_reach_the_handled_applications(county):
    finance_clerk = staff(Role.CLERK, county["finance"])
    assert not can_for_applications(finance_clerk, Action.VIEW, county["gov"])
    with pytest.raises(PermissionDenied):
        require_for_applications(finance_clerk, Action.EDIT, county["gov"])
    assert county["gov"] not in application_orgs_where(finance_clerk, Action.VIEW)


def test_the_organisations_own_staff_keep_their_access(county):
    # policy: naming a handling office adds its staff; the organisation's own roles keep what they give
    own_clerk = staff(Role.CLERK, county["gov"])
    assert can_for_applications(own_clerk, Action.EDIT, county["gov"])
    supervisor = staff(Role.SUPERVISOR, county["city"])
    assert can_for_applications(supervisor, Action.VIEW, county["gov"])
    assert not can_for_applications(supervisor, Action.EDIT, county["gov"])


def test_roles_of_the_office_keep_their_actions(county):
    reviewer = staff(Role.REVIEWER, county["office"])
    assert can_for_applications(reviewer, Action.REVIEW, county["gov"])
    assert not can_for_applications(reviewer, Action.EDIT, county["gov"])
    assert county["gov"] not in application_orgs_where(reviewer, Action.EDIT)


def test_list_and_form_show_the_handling_office(client, county):
    admin = staff(Role.OFFICE_ADMIN, county["gov"])
    client.force_login(admin)
    assert "依申请公开由样例县人民政府办公室办理" in client.get("/admin/orgs/").content.decode()
    # each organisation's page says who handles its applications, and the office's for whom it does
    gov_page = client.get(f"/admin/orgs/{county['gov'].pk}/edit/").content.decode()
    assert "依申请公开由样例县人民政府办公室办理。" in gov_page
    assert (
        "本机关办理样例县人民政府的依申请公开。"
        in client.get(f"/admin/orgs/{county['office'].pk}/edit/").content.decode()
    )
    assert "依申请公开由" not in client.get(f"/admin/orgs/{county['finance'].pk}/edit/").content.decode()
    # the form offers it and refuses a chain with a Chinese message
    page = client.get(f"/admin/orgs/{county['office'].pk}/edit/").content.decode()
    assert "办理申请的工作机构" in page and "（本机关自行办理）" in page
    form = client.get(f"/admin/orgs/{county['office'].pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "handling_office"}
    data.update(handling_office=county["finance"].pk, website="", four_eyes="on")
    response = client.post(f"/admin/orgs/{county['office'].pk}/edit/", data)
    assert "不能形成转办链或循环" in response.content.decode()
    county["office"].refresh_from_db()
    assert county["office"].handling_office_id is None

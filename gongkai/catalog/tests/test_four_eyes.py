"""双人审核 on catalogue items: the drafter (creator or submitter of the current revision) may not pass the
保密审查 or the 审核 of their own item; another holder of the role may; with the rule off, anyone with the role may."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.catalog import workflow
from gongkai.catalog.models import Item
from gongkai.catalog.vocab import DisclosureAttr, Status
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.tests.factories import MembershipFactory, staff

from .factories import draft_item

pytestmark = pytest.mark.django_db

OWN_REVIEW = "按本机关“双人审核”规定，不能审核自己起草的信息。"
OWN_SECRECY = "按本机关“双人审核”规定，不能对自己起草的信息进行保密审查。"


def all_rounder(org: Organisation):
    """One person holding every role of the workflow in ``org`` (the case the rule is about)."""
    user = staff(Role.CLERK, org)
    for role in (Role.SECRECY_REVIEWER, Role.REVIEWER):
        MembershipFactory(user=user, org=org, role=role)
    return user


@pytest.fixture
def org(org_tree):
    return org_tree["own"]


def _rule(org: Organisation, on: bool) -> None:
    Organisation.objects.filter(pk=org.pk).update(four_eyes=on)
    org.refresh_from_db()


def test_rule_is_on_by_default(org):
    assert org.four_eyes is True


def test_creator_may_not_pass_own_secrecy_review_another_may(org):
    drafter = all_rounder(org)
    item = draft_item(org, actor=drafter)
    item = workflow.item_transition(actor=drafter, item=item, step="submit")
    with pytest.raises(PermissionDenied) as exc:
        workflow.item_transition(actor=drafter, item=item, step="secrecy_pass")
    assert str(exc.value) == OWN_SECRECY
    assert Item.objects.get(pk=item.pk).status == Status.SECRECY_REVIEW
    item = workflow.item_transition(actor=staff(Role.SECRECY_REVIEWER, org), item=item, step="secrecy_pass")
    assert item.status == Status.REVIEW


@pytest.mark.parametrize("disclosure,step", [(DisclosureAttr.PROACTIVE, "publish"), ("on_request", "file")])
def test_creator_may_not_approve_own_item_another_may(org, disclosure, step):
    drafter = all_rounder(org)
    data = (
        {}
        if disclosure == DisclosureAttr.PROACTIVE
        else {"disclosure": disclosure, "disclosure_reason": "依申请公开"}
    )
    item = draft_item(org, actor=drafter, **data)
    item = workflow.item_transition(actor=drafter, item=item, step="submit")
    item = workflow.item_transition(actor=staff(Role.SECRECY_REVIEWER, org), item=item, step="secrecy_pass")
    with pytest.raises(PermissionDenied) as exc:
        workflow.item_transition(actor=drafter, item=item, step=step)
    assert str(exc.value) == OWN_REVIEW
    assert Item.objects.get(pk=item.pk).status == Status.REVIEW
    item = workflow.item_transition(actor=staff(Role.REVIEWER, org), item=item, step=step)
    assert item.status == workflow.WORKFLOW.step(step).target


def test_submitter_of_the_current_revision_counts_as_drafter(org):
    # given an item created by a clerk, returned, and resubmitted by a colleague who also reviews
    item = draft_item(org, actor=staff(Role.CLERK, org))
    colleague = all_rounder(org)
    secrecy = staff(Role.SECRECY_REVIEWER, org)
    item = workflow.item_transition(actor=colleague, item=item, step="submit")
    with pytest.raises(PermissionDenied, match="保密审查"):
        workflow.item_transition(actor=colleague, item=item, step="secrecy_pass")
    item = workflow.item_transition(actor=secrecy, item=item, step="secrecy_pass")
    with pytest.raises(PermissionDenied, match="不能审核自己起草的信息"):
        workflow.item_transition(actor=colleague, item=item, step="publish")
    # returning the item to its drafter is not refused
    item = workflow.item_transition(actor=colleague, item=item, step="review_return", comment="请补充")
    assert item.status == Status.DRAFT


def test_rule_off_keeps_the_old_behaviour(org):
    _rule(org, False)
    drafter = all_rounder(org)
    item = draft_item(org, actor=drafter)
    for step in ("submit", "secrecy_pass", "publish"):
        item = workflow.item_transition(actor=drafter, item=item, step=step)
    assert item.status == Status.PUBLISHED


def test_system_actor_is_never_refused(org):
    item = draft_item(org)
    for step in ("submit", "secrecy_pass", "publish"):
        item = workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    assert item.status == Status.PUBLISHED


# --- over HTTP: the back office shows the message, the API answers 403 with it ------------------------


def _in_review(org: Organisation, drafter) -> Item:
    item = draft_item(org, actor=drafter)
    item = workflow.item_transition(actor=drafter, item=item, step="submit")
    return workflow.item_transition(actor=staff(Role.SECRECY_REVIEWER, org), item=item, step="secrecy_pass")


def test_view_shows_the_refusal_and_lets_another_reviewer_publish(client, org):
    drafter = all_rounder(org)
    item = _in_review(org, drafter)
    client.force_login(drafter)
    response = client.post(f"/admin/catalog/{item.pk}/step/publish/", {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert OWN_REVIEW in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == Status.REVIEW
    client.force_login(staff(Role.REVIEWER, org))
    response = client.post(f"/admin/catalog/{item.pk}/step/publish/", {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert Item.objects.get(pk=item.pk).status == Status.PUBLISHED


def test_view_allows_the_drafter_when_the_rule_is_off(client, org):
    drafter = all_rounder(org)
    item = _in_review(org, drafter)
    _rule(org, False)
    client.force_login(drafter)
    client.post(f"/admin/catalog/{item.pk}/step/publish/", {"comment": ""})
    assert Item.objects.get(pk=item.pk).status == Status.PUBLISHED


def test_api_refuses_the_drafter_with_the_message(client, org):
    drafter = all_rounder(org)
    item = _in_review(org, drafter)
    client.force_login(drafter)
    url = f"/api/catalog/items/{item.pk}/transition"
    response = client.post(url, {"step": "publish"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == OWN_REVIEW
    client.force_login(staff(Role.REVIEWER, org))
    response = client.post(url, {"step": "publish"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.PUBLISHED

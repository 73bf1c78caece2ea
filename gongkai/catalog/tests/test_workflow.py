"""The review workflow: each step by the right role, audited, scans blocking, a rejected step changing nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalog import services, workflow
from gongkai.catalog.models import Item, ItemEvent
from gongkai.catalog.vocab import DisclosureAttr, DocKind, Status, Validity
from gongkai.catalog.workflow import WORKFLOW
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

from .factories import draft_item, published_item

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def _at(item: Item, status: Status) -> Item:
    path = {
        Status.DRAFT: [],
        Status.SECRECY_REVIEW: ["submit"],
        Status.REVIEW: ["submit", "secrecy_pass"],
        Status.PUBLISHED: ["submit", "secrecy_pass", "publish"],
        Status.WITHDRAWN: ["submit", "secrecy_pass", "publish", "withdraw"],
    }[status]
    for step in path:
        item = workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step, comment="测试")
    return item


# (step, from status, role that may, role that may not)
MATRIX = [
    ("submit", Status.DRAFT, Role.CLERK, Role.REVIEWER),
    ("secrecy_pass", Status.SECRECY_REVIEW, Role.SECRECY_REVIEWER, Role.CLERK),
    ("secrecy_return", Status.SECRECY_REVIEW, Role.SECRECY_REVIEWER, Role.REVIEWER),
    ("publish", Status.REVIEW, Role.REVIEWER, Role.CLERK),
    ("review_return", Status.REVIEW, Role.REVIEWER, Role.SECRECY_REVIEWER),
    ("withdraw", Status.PUBLISHED, Role.REVIEWER, Role.CLERK),
    ("withdraw", Status.PUBLISHED, Role.OFFICE_ADMIN, Role.SUPERVISOR),
    ("repeal", Status.PUBLISHED, Role.REVIEWER, Role.SECRECY_REVIEWER),
    ("reopen", Status.WITHDRAWN, Role.CLERK, Role.SECRECY_REVIEWER),
]


@pytest.mark.parametrize("step,source,allowed,refused", MATRIX)
def test_each_step_needs_its_role(org_tree, step, source, allowed, refused):
    # Given an item at the step's source status
    org = org_tree["own"]
    item = _at(draft_item(org), source)
    # When a user without the right role tries the step, it is refused and nothing changes
    with pytest.raises(PermissionDenied):
        workflow.item_transition(actor=staff(refused, org), item=item, step=step, comment="意见")
    assert Item.objects.get(pk=item.pk).status == source
    # Then the right role moves it to the step's target and an event and an audit row record it
    done = workflow.item_transition(actor=staff(allowed, org), item=item, step=step, comment="意见")
    assert done.status == WORKFLOW.step(step).target
    assert ItemEvent.objects.filter(item=item, to_status=WORKFLOW.step(step).target).exists()
    assert AuditEntry.objects.filter(object_id=str(item.pk), action=AuditAction.TRANSITION).exists()


def test_role_of_another_organisation_is_refused(org_tree):
    item = _at(draft_item(org_tree["own"]), Status.REVIEW)
    with pytest.raises(PermissionDenied):
        workflow.item_transition(actor=staff(Role.REVIEWER, org_tree["sibling"]), item=item, step="publish")


@pytest.mark.parametrize("step", sorted(WORKFLOW.names))
def test_a_step_from_the_wrong_status_is_refused(step):
    # Given a published item, every step whose source is not 已发布 is refused
    item = published_item()
    if WORKFLOW.step(step).starts_from(Status.PUBLISHED):
        return
    with pytest.raises(ValidationError):
        workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step, comment="x")
    assert Item.objects.get(pk=item.pk).status == Status.PUBLISHED


def test_transition_table_matches_steps():
    transitions = WORKFLOW.allowed_transitions()
    assert transitions[Status.DRAFT] == {Status.SECRECY_REVIEW}
    assert transitions[Status.PUBLISHED] == {Status.WITHDRAWN, Status.REPEALED}
    assert transitions[Status.REPEALED] == frozenset()


def test_scan_blocks_submission_of_an_id_number(org_tree):
    # Given a draft whose body carries an ID number
    clerk = staff(Role.CLERK, org_tree["own"])
    item = draft_item(org_tree["own"], actor=clerk, body=f"<p>申请人身份证号{ID}</p>")
    # When the clerk submits it, the scan refuses with the position
    with pytest.raises(ValidationError) as exc:
        workflow.item_transition(actor=clerk, item=item, step="submit")
    assert any("正文 第1行第8字" in m for m in exc.value.messages)
    # Then the item stays a draft
    assert Item.objects.get(pk=item.pk).status == Status.DRAFT


def test_return_needs_a_comment():
    item = _at(draft_item(), Status.SECRECY_REVIEW)
    with pytest.raises(ValidationError):
        workflow.item_transition(actor=SYSTEM_TEST, item=item, step="secrecy_return", comment=" ")


def test_publish_sets_publication_time_and_repeal_sets_validity():
    item = published_item()
    assert item.published_at is not None and item.is_public
    repealed = workflow.item_transition(actor=SYSTEM_TEST, item=item, step="repeal")
    assert repealed.status == Status.REPEALED and repealed.validity == Validity.REPEALED
    assert repealed.repealed_on is not None


def test_staff_cannot_backdate_publication(org_tree):
    item = _at(draft_item(org_tree["own"]), Status.REVIEW)
    import datetime as dt

    with pytest.raises(PermissionDenied):
        workflow.item_transition(
            actor=staff(Role.REVIEWER, org_tree["own"]), item=item, step="publish",
            published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )  # fmt: skip


def test_withheld_item_is_filed_not_published():
    # Given an item drafted as 不予公开 with its reason
    item = _at(
        draft_item(disclosure=DisclosureAttr.WITHHELD, disclosure_reason="《条例》第十四条"), Status.REVIEW
    )
    # When the reviewer tries to publish, it is refused; filing works
    with pytest.raises(ValidationError):
        workflow.item_transition(actor=SYSTEM_TEST, item=item, step="publish")
    assert workflow.item_transition(actor=SYSTEM_TEST, item=item, step="file").status == Status.FILED


@pytest.mark.parametrize(
    "data,field",
    [
        ({"disclosure": DisclosureAttr.ON_REQUEST}, "disclosure_reason"),
        ({"doc_kind": DocKind.INTERPRETATION}, "interprets"),
        ({"title": ""}, "title"),
    ],
)
def test_drafting_rules(data, field):
    with pytest.raises(ValidationError) as exc:
        draft_item(**data)
    assert field in exc.value.message_dict


def test_body_is_sanitised_and_only_drafts_change(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    item = draft_item(org_tree["own"], actor=clerk, body='<p onclick="x()">正文<script>alert(1)</script></p>')
    assert "script" not in item.body and "onclick" not in item.body
    item = services.item_update(actor=clerk, item=item, title="新标题")
    assert AuditEntry.objects.filter(object_id=str(item.pk), action=AuditAction.UPDATE).exists()
    item = _at(item, Status.SECRECY_REVIEW)
    with pytest.raises(ValidationError):
        services.item_update(actor=clerk, item=item, title="再改")


def test_clerk_of_another_org_cannot_draft(org_tree):
    with pytest.raises(PermissionDenied):
        draft_item(org_tree["own"], actor=staff(Role.CLERK, org_tree["sibling"]))


def test_interpretation_links_its_policy():
    policy = published_item(needs_interpretation=True, doc_kind=DocKind.POLICY)
    interp = draft_item(policy.org, doc_kind=DocKind.INTERPRETATION, interprets=policy, title="政策解读")
    assert list(policy.interpretations.all()) == [interp]
    with pytest.raises(ValidationError):
        draft_item(policy.org, doc_kind=DocKind.INTERPRETATION, interprets=interp, title="解读的解读")

"""The review workflow of catalogue items, declared once (《条例》第十七条、第二十六条).

起草 → 保密审查 → 审核 → 发布 (or 已审核（不主动公开）) → 撤回/废止. ``STEPS`` is the table; the detail page's
buttons (``WORKFLOW.available``), the step form, the API's step names and the allowed transitions derive from it,
and ``item_transition`` is the one function that changes ``Item.status`` (through core.workflow).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import Actor, acting_user, is_system
from gongkai.core.workflow import Move, Step, Workflow, any_of, row_lock
from gongkai.orgs.duties import audited_editors, own_work_refuser
from gongkai.orgs.permissions import Action, can

from .forms import StepForm
from .models import Item, ItemEvent
from .public_pages import item_pages_changed
from .scans import refuse_blocking_hits
from .search_sync import search_sync_item
from .selectors import PUBLIC_STATUSES
from .services import AUDIT_FIELDS
from .vocab import DisclosureAttr, Status, Validity


def _proactive_only(item: Item) -> str:
    return "" if item.disclosure == DisclosureAttr.PROACTIVE else "只有公开属性为“主动公开”的信息可以发布。"


def _not_proactive(item: Item) -> str:
    return "主动公开的信息应“审核通过并发布”。" if item.disclosure == DisclosureAttr.PROACTIVE else ""


def _publish(move: Move) -> None:
    """发布: the system records the time; only system jobs (import, demo) may back-date it."""
    published_at = move.params.get("published_at")
    if published_at is not None and not is_system(move.actor):
        raise PermissionDenied("发布时间由系统记录，不能手工指定。")
    move.updates["published_at"] = published_at or move.obj.published_at or timezone.now()


def _repeal(move: Move) -> None:
    move.updates.update(
        validity=Validity.REPEALED, repealed_on=move.params.get("repealed_on") or timezone.localdate()
    )


# 双人审核: the approving decisions of 保密审查 and 审核 (returning an item to its drafter is not refused).
OWN_SECRECY = "不能对自己起草的信息进行保密审查。"
OWN_REVIEW = "不能审核自己起草的信息。"
_step = partial(Step, form=StepForm)

STEPS: tuple[Step, ...] = (
    _step("submit", "提交保密审查", (Status.DRAFT,), Status.SECRECY_REVIEW, Action.EDIT, checks=(refuse_blocking_hits,)),
    _step("secrecy_pass", "保密审查通过", (Status.SECRECY_REVIEW,), Status.REVIEW, Action.SECRECY_REVIEW, four_eyes=OWN_SECRECY),
    _step("secrecy_return", "保密审查退回", (Status.SECRECY_REVIEW,), Status.DRAFT, Action.SECRECY_REVIEW, needs_comment=True),
    _step("publish", "审核通过并发布", (Status.REVIEW,), Status.PUBLISHED, Action.REVIEW, four_eyes=OWN_REVIEW,
          guard=_proactive_only, checks=(refuse_blocking_hits,), handler=_publish),
    _step("file", "审核通过（不主动公开）", (Status.REVIEW,), Status.FILED, Action.REVIEW, four_eyes=OWN_REVIEW, guard=_not_proactive),
    _step("review_return", "审核退回", (Status.REVIEW,), Status.DRAFT, Action.REVIEW, needs_comment=True),
    _step("withdraw", "撤回", (Status.PUBLISHED,), Status.WITHDRAWN, any_of(Action.REVIEW, Action.MANAGE), needs_comment=True),
    _step("repeal", "废止", (Status.PUBLISHED,), Status.REPEALED, any_of(Action.REVIEW, Action.MANAGE), handler=_repeal),
    _step("reopen", "重新编辑", (Status.WITHDRAWN,), Status.DRAFT, Action.EDIT),
)  # fmt: skip


def item_drafters(item: Item) -> set[int]:
    """Who drafted the current revision: the creator, whoever last submitted it (提交保密审查), and everyone
    who changed it (fields or attachments) since it last became a draft — editing someone else's draft and
    then approving it is approving one's own work (red-team N4)."""
    drafters = {item.created_by_id} if item.created_by_id else set()
    submitter = (
        item.events.filter(to_status=Status.SECRECY_REVIEW, from_status=Status.DRAFT)
        .order_by("-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    if submitter:
        drafters.add(submitter)
    returned = item.events.filter(to_status=Status.DRAFT).exclude(from_status="").order_by("-id").first()
    since = {} if returned is None else {"created_at__gte": returned.created_at}
    return drafters | audited_editors(item, **since)


def _event(move: Move) -> None:
    ItemEvent.objects.create(item=move.obj, from_status=move.source, to_status=move.obj.status,
                             actor=acting_user(move.actor), comment=move.comment)  # fmt: skip


def _after(move: Move) -> None:
    """The search index follows the item; a step into or out of the public states retires its cached pages."""
    transaction.on_commit(partial(search_sync_item, move.obj.pk))
    if {move.source, move.obj.status} & set(PUBLIC_STATUSES):
        item_pages_changed(move.obj)


WORKFLOW = Workflow(
    name="catalog",
    states=Status,
    steps=STEPS,
    permits=can,
    lock=row_lock("org"),
    four_eyes=own_work_refuser(item_drafters),
    record=_event,
    after=_after,
    audit_fields=AUDIT_FIELDS,
    denied="您没有权限对「{obj.org.name}」的信息执行“{step.label}”。",
)


def item_transition(
    *,
    actor: Actor,
    item: Item,
    step: str,
    comment: str = "",
    published_at: dt.datetime | None = None,
    repealed_on: dt.date | None = None,
) -> Item:
    """Move an item one step along 起草 → 保密审查 → 审核 → 发布 → 撤回/废止 (《条例》第十七条、第二十六条).

    ``publish`` needs 主动公开 and a clean scan; ``file`` closes 依申请公开/不予公开 items without
    publishing them. ``published_at`` may only be back-dated by system jobs (import, demo).
    """
    result: Item = WORKFLOW.transition(
        actor=actor, obj=item, step=step, comment=comment, published_at=published_at, repealed_on=repealed_on
    )
    return result

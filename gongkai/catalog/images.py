"""Pictures in an item's 正文 (插入图片): uploaded to a draft by whoever may edit it (core.images checks and
re-encodes the file and audits it on the item), shown to everyone once the item is public, else only to staff
who may view the item."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from gongkai.core import images
from gongkai.core.actors import Actor
from gongkai.core.images.views import upload_answer
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, require

from . import permissions
from .models import Item
from .selectors import PUBLIC_STATUSES
from .vocab import Status

OWNER = "catalog.item"


def item_image_add(*, actor: Actor, item: Item, name: str, data: bytes) -> images.RichTextImage:
    """Keep a picture for the 正文 of a draft (the same rule as its attachments)."""
    require(actor, Action.EDIT, item.org, f"您没有权限在「{item.org.name}」上传图片。")
    if item.status != Status.DRAFT:
        raise ValidationError("只有“起草”状态的信息可以插入图片。")
    return images.image_store(actor=actor, org=item.org, owner=OWNER, owner_obj=item, name=name, data=data)


def may_see(user: Any, item_id: int) -> str:
    item = Item.objects.select_related("org").filter(pk=item_id).first()
    if item is None:
        return ""
    if item.status in PUBLIC_STATUSES:
        return "public"
    return (
        "staff" if getattr(user, "is_authenticated", False) and permissions.can_view_item(user, item) else ""
    )


OWNER_RULE = images.ImageOwner(OWNER, may_see)


@login_required
@require_POST
def image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's 插入图片: the file in ``image``; answers JSON {url, width, height} or {error} (Chinese)."""
    item = get_permitted_or_404(
        Item.objects.select_related("org"),
        lambda i: permissions.can_view_item(request.user, i),
        "信息不存在或您无权查看。",
        pk=pk,
    )
    return upload_answer(
        request, lambda name, data: item_image_add(actor=request.user, item=item, name=name, data=data)
    )

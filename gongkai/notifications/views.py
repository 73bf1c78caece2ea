"""The outbox page: the messages of the organisations the user may view, with 「重新发送」 for those who may act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, application_orgs_where, can_for_applications

from .models import Message
from .services import message_retry, send_message
from .vocab import MessageStatus


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    qs = Message.objects.filter(org__in=application_orgs_where(request.user, Action.VIEW)).select_related(
        "org"
    )
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:20]
    if q:
        qs = qs.filter(reference__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    editable = set(
        application_orgs_where(request.user, Action.EDIT)
        .filter(pk__in={m.org_id for m in page})
        .values_list("pk", flat=True)
    )
    rows = [(m, m.org_id in editable and m.status != MessageStatus.SENT) for m in page]
    return render(
        request,
        "notifications/outbox.html",
        {"page": page, "rows": rows, "statuses": MessageStatus.choices, "status": status, "q": q},
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_permitted_or_404(
        Message.objects.select_related("org"),
        lambda m: can_for_applications(request.user, Action.VIEW, m.org),
        "通知不存在或您无权查看。",
        pk=pk,
    )
    try:
        message_retry(actor=request.user, message=message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        status = send_message(message.pk, actor=request.user)
        label = MessageStatus(status).label if status else "待发送"
        messages.success(request, f"已重新发送「{message}」，当前状态：{label}。")
    return redirect("notifications:outbox")

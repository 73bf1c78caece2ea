"""Back-office pages of the catalogue: list, draft, edit, scan, attachments, workflow steps, checks, vocabularies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.forms import add_validation_errors
from gongkai.core.params import year_param
from gongkai.core.uploads import file_response
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import is_system_admin

from . import attachments, permissions, selectors, self_check, services, vocabularies, workflow
from .forms import ITEM_FORM_FIELDS, AttachmentForm, FieldForm, ItemFilterForm, ItemForm, TypoForm
from .models import Attachment, Field, Item, TypoEntry
from .scans import item_scan
from .vocab import DocKind


def _item(request: HttpRequest, pk: int) -> Item:
    return get_permitted_or_404(
        Item.objects.select_related("org", "interprets"),
        lambda item: permissions.can_view_item(request.user, item),
        "信息不存在或您无权查看。",
        pk=pk,
    )


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.staff_items(request.user, status=data.get("status", ""), q=data.get("q", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in data.items() if v})
    return render(
        request,
        "catalog/item_list.html",
        {"form": form, "page": page, "query": query, "can_draft": permissions.draftable_orgs(request.user).exists(),
         "can_manage": permissions.manageable_orgs(request.user).exists(),
         "can_reindex": is_system_admin(request.user)},
    )  # fmt: skip


def _item_data(form: ItemForm) -> dict[str, Any]:
    return {f: form.cleaned_data[f] for f in ITEM_FORM_FIELDS if f != "fields"}


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    orgs = permissions.draftable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有起草主动公开信息的权限。")
    initial = {"org": orgs.first(), "written_on": timezone.localdate()}
    form = ItemForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                actor=request.user, org=form.cleaned_data["org"], fields=list(form.cleaned_data["fields"]),
                **_item_data(form),
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, f"已保存草稿，索引号 {item.index_no}。")
            return redirect("catalog:detail", pk=item.pk)
    return render(request, "catalog/item_form.html", {"form": form, "title": "起草主动公开信息"})


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied(permissions.edit_refusal(item))
    form = ItemForm(request.POST or None, instance=item, orgs=None, editing=True)
    form.fields["body"].widget.attrs["data-image-upload"] = reverse("catalog:image_upload", args=[item.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                actor=request.user, item=item, fields=list(form.cleaned_data["fields"]), **_item_data(form)
            )
        except (ValidationError, PermissionDenied) as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("catalog:detail", pk=item.pk)
    return render(
        request, "catalog/item_form.html", {"form": form, "title": f"修改：{item.title}", "item": item}
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    hits = item_scan(item)
    policy = item.interprets  # shown only when the user may see it (ids are sequential)
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "hits": hits,
            "blocking": [h for h in hits if h.blocks],
            "steps": workflow.WORKFLOW.available(request.user, item),
            "events": item.events.select_related("actor"),
            "attachments": item.attachments.all(),
            "can_edit": permissions.can_edit_item(request.user, item),
            "can_amend": permissions.can_mark_amended(request.user, item),
            "attachment_form": AttachmentForm(),
            "timeliness": selectors.item_timeliness(item),
            "sync": selectors.interpretation_sync(item) if item.needs_interpretation else None,
            "fields": item.fields.all(),
            "policy": policy if policy and permissions.can_see_policy(request.user, policy) else None,
        },
    )


@login_required
@require_POST
def item_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    item = _item(request, pk)
    try:
        s = workflow.WORKFLOW.step(step)
        form = s.form(request.POST) if s.form else None
        comment = form.cleaned_data["comment"] if form is not None and form.is_valid() else ""
        item = workflow.item_transition(actor=request.user, item=item, step=s.name, comment=comment)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已{s.label}，当前状态：{item.get_status_display()}。")
    return redirect("catalog:detail", pk=item.pk)


@login_required
@require_POST
def item_amended(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    try:
        services.item_mark_amended(
            actor=request.user, item=item, comment=request.POST.get("comment", "")[:500]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "有效性已改为“已修改”。")
    return redirect("catalog:detail", pk=item.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect("catalog:detail", pk=item.pk)
    upload = form.cleaned_data["file"]
    data = upload.read(attachments.max_attachment_bytes() + 1)
    try:
        attachments.attachment_add(actor=request.user, item=item, name=upload.name, data=data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已上传附件“{upload.name}”。")
    return redirect("catalog:detail", pk=item.pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    item = _item(request, pk)
    att = get_object_or_404(Attachment, pk=aid, item=item)
    try:
        attachments.attachment_remove(actor=request.user, attachment=att)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("catalog:detail", pk=item.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, aid: int) -> FileResponse:
    item = _item(request, pk)
    att = get_object_or_404(Attachment, pk=aid, item=item)
    return file_response(att.file.open("rb"), att.name)  # type sniffed from the bytes, always an attachment


@login_required
def checks(request: HttpRequest) -> HttpResponse:
    """公开办管理员: 专栏 self-check, 第二十六条 timeliness and 三同步 per managed organisation."""
    orgs = list(permissions.manageable_orgs(request.user))
    if not orgs:
        raise PermissionDenied("网站自查仅向公开办管理员开放。")
    org = next((o for o in orgs if str(o.pk) == request.GET.get("org")), orgs[0])
    year = year_param(request.GET.get("year"), timezone.localdate().year)
    figures = selectors.regulation_figures([org.pk], year)  # 表二 第二十条第（一）项, labelled by 文种类别
    return render(
        request,
        "catalog/checks.html",
        {
            "orgs": orgs, "org": org, "year": year,
            "check": self_check.site_self_check(org),
            "timeliness": selectors.org_timeliness([o.pk for o in orgs if o.path.startswith(org.path)], year),
            "sync": selectors.interpretation_report([org.pk]),
            "figures": [(DocKind(kind).label, cells) for kind, cells in figures.items()],
            "visits": selectors.column_visits([org.pk], year),
        },
    )  # fmt: skip


def _add_entry(
    request: HttpRequest, form: Any, create: Callable[..., Any], done: str, list_url: str
) -> HttpResponse | None:
    """Add a vocabulary entry (错敏词, 领域) from a posted form: the redirect to the list, or None when the form
    (now with the errors) is shown again."""
    if form.is_valid():
        try:
            create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(list_url)
    return None


def _vocabulary_page(
    request: HttpRequest,
    form: Any,
    *,
    what: str,
    create: Callable[..., Any],
    done: str,
    url: str,
    toggle: Callable[[HttpRequest], None] | None = None,
) -> HttpResponse | None:
    """A vocabulary list page's POST (公开办管理员 only): toggle an entry or add one. None: show the page."""
    if request.method != "POST":
        return None
    if not permissions.can_maintain_vocabularies(request.user):
        raise PermissionDenied(f"只有公开办管理员可以维护{what}。")
    if toggle is not None and "toggle" in request.POST:
        toggle(request)
        return redirect(url)
    return _add_entry(request, form, create, done, url)


def _typo_toggle(request: HttpRequest) -> None:
    entry = get_object_or_404(TypoEntry, pk=request.POST["toggle"])
    vocabularies.typo_set_active(actor=request.user, entry=entry, active=not entry.is_active)


@login_required
def dictionary(request: HttpRequest) -> HttpResponse:
    form = TypoForm(request.POST or None)
    done = _vocabulary_page(request, form, what="错敏词", create=vocabularies.typo_create, done="已添加。",
                            url="catalog:dictionary", toggle=_typo_toggle)  # fmt: skip
    allowed = permissions.can_maintain_vocabularies(request.user)
    context = {"form": form, "entries": TypoEntry.objects.all(), "allowed": allowed}
    return done or render(request, "catalog/dictionary.html", context)


@login_required
def field_list(request: HttpRequest) -> HttpResponse:
    form = FieldForm(request.POST or None)
    done = _vocabulary_page(request, form, what="领域", create=vocabularies.field_create, done="已添加领域。",
                            url="catalog:fields")  # fmt: skip
    allowed = permissions.can_maintain_vocabularies(request.user)
    context = {"form": form, "fields": Field.objects.all(), "allowed": allowed}
    return done or render(request, "catalog/fields.html", context)

"""``/files/images/<key>.<ext>``: a rich-text picture, to whoever may see its owner (404 to anyone else, so an
address reveals nothing), inline, with its sniffed type and ``nosniff``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.http import require_GET

from .models import RichTextImage
from .registry import owner_rule
from .service import MAX_IMAGE_BYTES

NOT_FOUND = "图片不存在。"


@require_GET
def image_view(request: HttpRequest, key: uuid.UUID, ext: str) -> HttpResponseBase:
    image = RichTextImage.objects.filter(key=key, ext=ext).first()
    rule = owner_rule(image.owner) if image else None
    reach = rule.may_see(request.user, image.owner_id) if image and rule else ""
    if not image or not reach:
        raise Http404(NOT_FOUND)
    response = FileResponse(image.file.open("rb"), content_type=image.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600" if reach == "public" else "private, no-store"
    return response


def upload_answer(request: HttpRequest, store: Callable[[str, bytes], Any]) -> JsonResponse:
    """The editor's 插入图片 posts the file as ``image``; ``store(name, data)`` (the owning app's service, which
    checks the user may edit the record) keeps it. Answers JSON {url, width, height} or {error} in Chinese."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "请选择要插入的图片文件。"}, status=400)
    data = upload.read(MAX_IMAGE_BYTES + 1)
    try:
        image = store(upload.name or "", data)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc) or "您没有权限插入图片。"}, status=403)
    except ValidationError as exc:
        return JsonResponse({"error": "；".join(exc.messages)}, status=400)
    return JsonResponse({"url": image.url, "width": image.width, "height": image.height})

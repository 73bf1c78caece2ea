"""Template context shared by the portal and the back office."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.GONGKAI_SITE_NAME, "SITE_ID_CODE": settings.GONGKAI_SITE_ID_CODE}

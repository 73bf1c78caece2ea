"""Template context shared by the portal and the back office: the site's identity (settings, never per user)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static


def _emblem_url(value: str) -> str:
    """GONGKAI_SITE_EMBLEM: a static path (``gongkai/emblem.svg``) or a same-site address (``/media/…``)."""
    if not value or value.startswith("/"):
        return value
    return static(value)


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.GONGKAI_SITE_NAME,
        "SITE_ID_CODE": settings.GONGKAI_SITE_ID_CODE,
        "SITE": {
            "name": settings.GONGKAI_SITE_NAME,
            "id_code": settings.GONGKAI_SITE_ID_CODE,
            "host": settings.GONGKAI_SITE_HOST,
            "phone": settings.GONGKAI_SITE_PHONE,
            "email": settings.GONGKAI_SITE_EMAIL,
            "address": settings.GONGKAI_SITE_ADDRESS,
            "icp": settings.GONGKAI_SITE_ICP,
            "psb": settings.GONGKAI_SITE_PSB,
            "emblem": _emblem_url(settings.GONGKAI_SITE_EMBLEM),
        },
        "SESSION_SECONDS": settings.SESSION_COOKIE_AGE,
    }

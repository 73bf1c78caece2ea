"""URL map: public portal at /, staff back office at /admin/, JSON API at /api/."""

from django.urls import include, path

from gongkai.api.api import api

urlpatterns = [
    path("admin/", include("gongkai.accounts.urls")),
    path("admin/orgs/", include("gongkai.orgs.urls")),
    path("admin/audit/", include("gongkai.core.urls")),
    path("admin/", include("gongkai.backoffice.urls")),
    path("api/", api.urls),
    path("", include("gongkai.portal.urls")),
]

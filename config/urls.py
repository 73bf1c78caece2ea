"""URL map: public portal at /, staff back office at /admin/, JSON API at /api/."""

from django.urls import include, path

from gongkai.api.api import api
from gongkai.core.health import healthz
from gongkai.core.images.views import image_view

handler400 = "gongkai.core.views.bad_request"

urlpatterns = [
    path("admin/", include("gongkai.accounts.urls")),
    path("admin/orgs/", include("gongkai.orgs.urls")),
    path("admin/workdays/", include("gongkai.workdays.urls")),
    path("admin/catalog/", include("gongkai.catalog.urls")),
    path("admin/applications/", include("gongkai.applications.urls")),
    path("admin/notifications/", include("gongkai.notifications.urls")),
    path("admin/archives/", include("gongkai.archives.urls")),
    path("admin/reports/", include("gongkai.reports.urls")),
    path("admin/report-check/", include("gongkai.reports.importing.urls")),
    path("ysqgk/", include("gongkai.applications.public_urls")),
    path("admin/", include("gongkai.backoffice.urls")),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("files/images/<uuid:key>.<str:ext>", image_view, name="richtext_image"),
    path("", include("gongkai.portal.urls")),
]

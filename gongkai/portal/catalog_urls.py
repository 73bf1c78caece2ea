"""Public catalogue pages (owned by the catalog app's engineer); included by portal/urls.py before the column route."""

from django.urls import path

from gongkai.core.pagecache import public_page
from gongkai.orgs.public_pages import page_scope_of

from . import catalog_views as views

urlpatterns = [
    path("gk/<str:code>/zhidu/", views.zhidu, name="catalog_zhidu"),
    path("gk/<str:code>/fdzdgknr/", views.fdzdgknr, name="catalog_fdzdgknr"),
    path("gk/<str:code>/xxgk/", views.item_list, name="catalog_list"),
    path("gk/<str:code>/xxgk/<int:pk>/", views.item_detail, name="catalog_item"),
    path("gk/<str:code>/xxgk/<int:pk>/pdf/", views.item_pdf_download, name="catalog_item_pdf"),
    path("gk/<str:code>/xxgk/<int:pk>/files/<int:aid>/", views.attachment, name="catalog_attachment"),
    path("gk/<str:code>/rss.xml", public_page(scope=page_scope_of)(views.OrgFeed()), name="catalog_rss"),
]

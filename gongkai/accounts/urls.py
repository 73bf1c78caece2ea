from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify_view, name="verify"),
    path("logout/", views.logout_view, name="logout"),
    path("account/2fa/", views.two_factor_view, name="two_factor"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("account/tokens/", views.token_list_view, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/2fa/clear/", views.user_two_factor_clear, name="user_two_factor_clear"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke_view, name="membership_revoke"),
]

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import login_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("login/link/", login_views.login_link_send, name="login_link_send"),
    path("login/link/<str:token>/", login_views.login_link, name="login_link"),
    path("login/code/", login_views.login_code, name="login_code"),
    path("two-step/", two_factor_views.two_factor_home, name="two_factor"),
    path("two-step/setup/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path(
        "two-step/recovery-codes/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-step/off/", two_factor_views.two_factor_off, name="two_factor_off"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("confirm/send/", views.email_confirm_send, name="email_confirm_send"),
    path("confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("confirm/<str:token>/afresh/", views.email_confirm_afresh, name="email_confirm_afresh"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            template_name="pages/accounts/password_reset_form.html",
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="pages/accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="pages/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="pages/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("business/", views.organization_edit, name="organization_edit"),
    path("sharing/", views.sharing, name="sharing"),
    path("welcome/", views.after_login, name="after_login"),
]

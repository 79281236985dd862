"""The site's own pages at the root: the front door, sign-in and invitations. The project's URLconf
includes this by name, so nothing in workshop/ imports the console."""
from django.contrib.auth import views as auth_views
from django.urls import path

from facilitator.members import invitation_accept
from facilitator.views import root
from workshop.tenancy.auth import LockoutAuthenticationForm

urlpatterns = [
    path("", root, name="root"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LockoutAuthenticationForm),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invite/<str:token>/", invitation_accept, name="invitation_accept"),
]

"""URL map: the browser UI, the API under /api/v1/, and language switching."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from arrears.api.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:list", permanent=False)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("arrears.cases.urls")),
    path("creditors/", include("arrears.creditors.urls")),
    path("intake/", include("arrears.intake.urls")),
    path("audit/", include("arrears.core.urls")),
    path("settings/", include("arrears.accounts.urls")),
    path("compliance/", include("arrears.compliance.urls")),
    path("payments/", include("arrears.payments.urls")),
    path("api/v1/", api.urls),
]

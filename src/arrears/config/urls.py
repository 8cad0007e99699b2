"""URL map: the browser UI, the API under /api/v1/, and language switching."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from arrears.api.api import api
from arrears.workbench.views import home

urlpatterns = [
    path("", home, name="home"),
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
    path("workbench/", include("arrears.workbench.urls")),
    path("complaints/", include("arrears.complaints.urls")),
    path("documents/", include("arrears.documents.urls")),
    path("batch/", include("arrears.batch.urls")),
    path("messaging/", include("arrears.messaging.urls")),
    path("visits/", include("arrears.visits.urls")),
    path("legal/", include("arrears.legal.urls")),
    path("api/v1/", api.urls),
]

from django.urls import path

from arrears.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.profiles, name="profiles"),
    path("report/", views.report, name="report"),
]

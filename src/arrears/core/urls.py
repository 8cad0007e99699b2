from django.urls import path

from arrears.core import views

app_name = "core"
urlpatterns = [path("changes/", views.changelog, name="changelog")]

from django.urls import path

from arrears.complaints import views

app_name = "complaints"
urlpatterns = [path("disputes/<int:pk>/resolve/", views.resolve, name="resolve")]

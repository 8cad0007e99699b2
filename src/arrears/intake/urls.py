from django.urls import path

from arrears.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:which>/", views.download, name="download"),
]

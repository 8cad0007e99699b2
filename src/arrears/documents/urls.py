from django.urls import path

from arrears.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:pk>/settlement-certificate/", views.certificate, name="certificate"),
    path("<int:pk>/", views.file, name="file"),
]

from django.urls import path

from arrears.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:pk>/settlement-certificate/", views.certificate, name="certificate"),
    path("cases/<int:pk>/letter/", views.letter, name="letter"),
    path("mailings/", views.mailings, name="mailings"),
    path("mailings/<int:pk>/", views.mailing, name="mailing"),
    path("mailings/<int:pk>/<str:which>/", views.mailing_file, name="mailing_file"),
    path("dispatches/", views.dispatches, name="dispatches"),
    path("dispatches/<int:pk>/", views.dispatch, name="dispatch"),
    path("dispatches/<int:pk>/proof/", views.proof, name="proof"),
    path("law-firms/", views.law_firms, name="law_firms"),
    path("law-firms/<int:pk>/", views.law_firms, name="law_firm"),
    path("creditors/<int:pk>/letters/", views.letter_settings, name="letter_settings"),
    path("<int:pk>/", views.file, name="file"),
]

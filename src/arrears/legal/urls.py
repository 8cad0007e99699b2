from django.urls import path

from arrears.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("cases/<int:pk>/", views.case_legal, name="case"),
    path("cases/<int:pk>/propose/", views.propose, name="propose"),
    path("cases/<int:pk>/letter/", views.letter, name="letter"),
    path("cases/<int:pk>/suit/", views.suit, name="suit"),
    path("cases/<int:pk>/cost/", views.cost, name="cost"),
    path("cases/<int:pk>/bundle/", views.bundle, name="bundle"),
    path("escalations/<int:pk>/decide/", views.decide, name="decide"),
    path("suits/<int:pk>/hearing/", views.hearing, name="hearing"),
    path("suits/<int:pk>/judgment/", views.judgment, name="judgment"),
    path("suits/<int:pk>/enforcement/", views.enforcement, name="enforcement"),
]

from django.urls import path

from arrears.batch import views

app_name = "batch"
urlpatterns = [
    path("runs/", views.runs, name="runs"),
    path("strategies/", views.strategies, name="strategies"),
    path("strategies/<int:pk>/", views.strategy, name="strategy"),
]

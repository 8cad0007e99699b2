from django.urls import path

from arrears.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.home, name="home"),
    path("desk/", views.desk, name="desk"),
    path("today/", views.today, name="today"),
    path("cases/<int:pk>/request/", views.request_visit, name="request"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]

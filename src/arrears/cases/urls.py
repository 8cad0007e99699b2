from django.urls import path

from arrears.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("distribute/", views.distribute, name="distribute"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("<int:pk>/call/", views.call, name="call"),
    path("<int:pk>/contacts/<int:record>/outcome/", views.outcome, name="outcome"),
]

from django.urls import path

from arrears.messaging import views

app_name = "messaging"
urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:creditor>/new/", views.template_edit, name="template_new"),
    path(
        "templates/<int:creditor>/<str:channel>/<slug:code>/<str:language>/",
        views.template_edit,
        name="template_edit",
    ),
    path("creditors/<int:creditor>/sender/", views.sender_edit, name="sender"),
    path("cases/<int:pk>/", views.case_messages, name="case"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

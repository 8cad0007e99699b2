from django.urls import path

from arrears.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", views.next_case, name="next"),
    path("team/", views.team, name="team"),
    path("team/reassign/", views.reassign, name="reassign"),
    path("scripts/", views.script_list, name="scripts"),
    path("scripts/new/", views.script_edit, name="script_new"),
    path("scripts/<slug:key>/", views.script_edit, name="script_edit"),
    path("cases/<int:pk>/scripts/", views.case_script, name="case_scripts"),
    path("cases/<int:pk>/tag/", views.tag, name="tag"),
    path("cases/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
]

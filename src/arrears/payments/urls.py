from django.urls import path

from arrears.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.finance, name="finance"),
    path("suspense/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("claims/<int:pk>/check/", views.check_claim, name="check_claim"),
    path("cases/<int:pk>/promise/", views.promise, name="promise"),
    path("cases/<int:pk>/payment/", views.payment, name="payment"),
    path("cases/<int:pk>/waiver/", views.waiver, name="waiver"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.decide, name="decide"),
    path("cases/<int:pk>/plan/", views.plan, name="plan"),
    path("plans/<int:pk>/", views.decide_plan, name="decide_plan"),
]

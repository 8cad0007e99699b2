from django.urls import path

from arrears.creditors import views

app_name = "creditors"
urlpatterns = [
    path("", views.creditor_list, name="list"),
    path("new/", views.creditor_edit, name="new"),
    path("<int:pk>/", views.creditor_edit, name="edit"),
    path("<int:pk>/mappings/", views.mappings, name="mappings"),
    path("<int:pk>/products/", views.products, name="products"),
    path("<int:pk>/products/<int:product>/", views.products, name="product_edit"),
    path("placements/new/", views.placement_edit, name="placement_new"),
    path("placements/<int:pk>/", views.placement_edit, name="placement_edit"),
]

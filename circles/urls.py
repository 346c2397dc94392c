from django.urls import path

from . import views

app_name = "circles"

urlpatterns = [
    path("kredse/", views.circle_list, name="list"),
    path("kredse/<slug:slug>/", views.circle_detail, name="detail"),
]

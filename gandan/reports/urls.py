from django.urls import path

from gandan.reports import views

urlpatterns = [
    path("", views.dashboard, name="reports-dashboard"),
]

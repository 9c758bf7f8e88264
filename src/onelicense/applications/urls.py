from django.urls import path

app_name = "applications"

urlpatterns: list[path] = []

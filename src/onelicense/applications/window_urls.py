from django.urls import path

app_name = "window"

urlpatterns: list[path] = []

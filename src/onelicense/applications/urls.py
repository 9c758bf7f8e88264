from django.urls import path

from onelicense.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.start, name="start"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/questions/", views.questions, name="questions"),
    path("<uuid:code>/questions/preview/", views.questions_preview, name="questions_preview"),
    path("<uuid:code>/form/", views.one_form, name="form"),
    path("<uuid:code>/materials/", views.materials, name="materials"),
    path("<uuid:code>/materials/<int:file_id>/", views.material_download, name="material"),
    path(
        "<uuid:code>/materials/<int:file_id>/remove/",
        views.material_delete,
        name="material_remove",
    ),
    path("<uuid:code>/commitments/", views.commitments, name="commitments"),
    path("<uuid:code>/check/", views.check, name="check"),
    path("<uuid:code>/submit/", views.submit, name="submit"),
    path("<uuid:code>/confirmation/", views.confirmation, name="confirmation"),
    path("<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
]

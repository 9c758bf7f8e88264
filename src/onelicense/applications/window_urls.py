from django.urls import path

from onelicense.applications import window_views as views

app_name = "window"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("<uuid:code>/", views.check, name="check"),
    path("<uuid:code>/reveal/", views.reveal, name="reveal"),
    path("<uuid:code>/accept/", views.accept, name="accept"),
    path("<uuid:code>/accept-deferred/", views.accept_deferred, name="accept_deferred"),
    path("<uuid:code>/refuse/", views.refuse, name="refuse"),
    path("<uuid:code>/files/<int:file_id>/", views.material_file, name="file"),
    path("<uuid:code>/receipt.pdf", views.receipt, name="receipt"),
    path("<uuid:code>/refusal.pdf", views.refusal, name="refusal"),
]

from django.urls import path

from onelicense.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/correction/", views.correction, name="correction"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/onsite/", views.onsite, name="onsite"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/files/<int:file_id>/", views.material_file, name="file"),
]

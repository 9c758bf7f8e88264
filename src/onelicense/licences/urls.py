from django.urls import path

from onelicense.licences import views

app_name = "licences"

urlpatterns = [
    # The district admin's workbench.
    path("", views.workbench, name="workbench"),
    path("issue/<uuid:code>/", views.issue, name="issue"),
    path("<int:pk>/", views.certificate_detail, name="certificate"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/reissue/", views.reissue, name="reissue"),
    path("keys/rotate/", views.key_rotate, name="key_rotate"),
    path("keys/<str:kid>/retire/", views.key_retire, name="key_retire"),
    # The applicant's own.
    path("mine/<int:pk>.pdf", views.mine_pdf, name="mine_pdf"),
    path("request/<uuid:code>/", views.request_early, name="request_early"),
    # Reviewers: their department's permits.
    path("permits/", views.permits, name="permits"),
    path("permits/<int:pk>/", views.permit_detail, name="permit"),
    path("permits/<int:pk>/<slug:operation>/", views.permit_change, name="permit_change"),
]

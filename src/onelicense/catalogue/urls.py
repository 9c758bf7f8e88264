from django.urls import path

from onelicense.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.industry_list, name="industry_list"),
    path("<slug:code>/", views.guide, name="guide"),
    path("<slug:code>/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("<slug:code>/notice/", views.notice, name="notice"),
    path("<slug:code>/notice.pdf", views.notice_pdf, name="notice_pdf"),
]

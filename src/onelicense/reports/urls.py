from django.urls import path

from onelicense.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reform/", views.reform, name="reform"),
    path("rollout/", views.rollout, name="rollout"),
    path("rollout/file/", views.work_plan_new, name="work_plan_new"),
    path("<slug:slug>/", views.dimension_page, name="dimension"),
    path("<slug:slug>.csv", views.export, {"extension": "csv"}, name="export_csv"),
    path("<slug:slug>.xlsx", views.export, {"extension": "xlsx"}, name="export_xlsx"),
]

from django.urls import path

from onelicense.supervision import checklist_views, public_views, views

app_name = "supervision"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/inspections/", views.plan_inspections, name="plan_inspections"),
    path("inspections/new/<str:uscc>/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/complete/", views.inspection_complete, name="complete"),
    path("inspections/<int:pk>/action/", views.inspection_action, name="action"),
    path("actions/<int:pk>/rectified/", views.action_rectified, name="rectified"),
    path("enterprises/<str:uscc>/", views.enterprise, name="enterprise"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:pk>/handle/", views.complaint_handle, name="complaint_handle"),
    path("checklists/", checklist_views.checklist_list, name="checklists"),
    path("checklists/<slug:code>/", checklist_views.checklist_edit, name="checklist_edit"),
    path("checklists/<slug:code>/points/<int:pk>/", checklist_views.point_edit, name="point_edit"),
    path(
        "checklists/<slug:code>/points/<int:pk>/switch/",
        checklist_views.point_switch,
        name="point_switch",
    ),
    path("industries/<slug:code>/", public_views.manual, name="manual"),
    path("report/", public_views.complaint_new, name="complaint_new"),
]

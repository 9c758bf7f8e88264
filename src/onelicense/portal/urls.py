from django.urls import path

from onelicense.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("districts/", views.district_list, name="district_list"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("entries/<slug:code>/", views.industry_entries, name="industry_entries"),
    path("display/large-text/", views.large_text_toggle, name="large_text"),
]

from django.urls import path

from onelicense.portal import tracking, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("districts/", views.district_list, name="district_list"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("entries/<slug:code>/", views.industry_entries, name="industry_entries"),
    path("display/large-text/", views.large_text_toggle, name="large_text"),
    # The applicant's own pages, and everyone's messages.
    path("my/messages/", tracking.message_list, name="messages"),
    path("my/messages/read-all/", tracking.messages_read_all, name="messages_read_all"),
    path("my/messages/<int:pk>/read/", tracking.message_read, name="message_read"),
    path("my/messages/<int:pk>/open/", tracking.message_open, name="message_open"),
    path("my/<uuid:code>/", tracking.progress, name="progress"),
    path("my/<uuid:code>/corrections/<int:case_id>/", tracking.correction, name="correction"),
]

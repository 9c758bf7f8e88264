from django.urls import path

from onelicense.verification import views

app_name = "verification"

urlpatterns = [
    # The QR code opens /v/<token> exactly (licences.services.verify_url): no trailing slash.
    path("v/<str:token>", views.live, name="live"),
    path("v/<str:token>/current", views.current, name="current"),
    path("verify/", views.lookup, name="lookup"),
]

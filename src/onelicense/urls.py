from django.contrib import admin
from django.urls import include, path

from onelicense.api import api

urlpatterns = [
    # First: the busiest public paths, a QR code's live page (/v/…) and /verify/.
    path("", include("onelicense.verification.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("onelicense.accounts.urls")),
    path("industries/", include("onelicense.catalogue.urls")),
    path("apply/", include("onelicense.applications.urls")),
    path("window/", include("onelicense.applications.window_urls")),
    path("review/", include("onelicense.approvals.urls")),
    path("certificates/", include("onelicense.licences.urls")),
    path("reports/", include("onelicense.reports.urls")),
    path("supervision/", include("onelicense.supervision.urls")),
    path("", include("onelicense.portal.urls")),
]

handler404 = "onelicense.core.views.not_found"

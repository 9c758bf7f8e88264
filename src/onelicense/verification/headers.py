"""The headers of a live answer, the page and the API's: never kept by a browser or a proxy
(the status is live) and never indexed.

They are what Django's `add_never_cache_headers` writes, set whole: that function parses and
rebuilds Cache-Control to merge it with directives already there, and a live answer has none.
"""

from django.http import HttpResponse
from django.utils.http import http_date

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def live_headers(response: HttpResponse) -> HttpResponse:
    response["Expires"] = http_date()
    response["Cache-Control"] = NEVER_CACHE
    response["X-Robots-Tag"] = "noindex"
    return response

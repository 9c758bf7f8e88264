"""The baseline of the serving benchmark: a plain view that reads one row by an index.

`GET /bench/lookup/<certificate number>/` answers the certificate's number, version,
identifier and issue time as JSON: one indexed read (the unique index on number and version),
through the same middleware as every page, served the same way. The public verification page
and API are measured against it. Mounted only in the benchmark server's URLconf
(onelicense.benchmarks.urls), never in the product's.
"""

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path

from onelicense.licences.models import Certificate


def lookup(request: HttpRequest, number: str) -> JsonResponse:
    rows = list(
        Certificate.objects.filter(number=number, version=1)
        .order_by()
        .values("number", "version", "identifier", "issued_at")[:1]
    )
    if not rows:
        raise Http404
    return JsonResponse(rows[0], json_dumps_params={"ensure_ascii": False})


urlpatterns = [path("bench/lookup/<str:number>/", lookup, name="bench_lookup")]

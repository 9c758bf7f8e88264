"""A sliding-window rate limit per client address for the verification page and API.

``ONELICENSE_VERIFY_RATE = "60/10"`` allows 60 requests in any 10 seconds from one address;
each address keeps the times of its recent requests in Django's cache (``ONELICENSE_VERIFY_CACHE``,
default ``"default"``: per process with LocMem, shared with Redis or Memcached). A refused request
is not counted, so a client that waits the Retry-After seconds gets through. Behind a proxy the
proxy must set REMOTE_ADDR (e.g. granian/gunicorn's forwarded-allow-ips): X-Forwarded-For is
not read here, since any client can write it.
"""

import math
import time
from array import array
from bisect import bisect_right, insort

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, JsonResponse

from onelicense.verification.errors import VerificationError

DEFAULT_RATE = "60/10"


def rate() -> tuple[int, float]:
    """(requests, seconds) from ONELICENSE_VERIFY_RATE."""
    text = str(getattr(settings, "ONELICENSE_VERIFY_RATE", DEFAULT_RATE))
    try:
        count, seconds = text.split("/")
        limit, window = int(count), float(seconds)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ONELICENSE_VERIFY_RATE={text!r}: write requests/seconds, e.g. 60/10"
        ) from exc
    if limit < 1 or window <= 0:
        raise ImproperlyConfigured(f"ONELICENSE_VERIFY_RATE={text!r} must be positive")
    return limit, window


def rate_hit(request: HttpRequest) -> int | None:
    """Count this request; None when allowed, else the seconds to wait before the next one.

    The recent hits are kept as packed doubles in time order: those that left the window are
    cut off with a binary search, and the cache stores bytes rather than a pickled list (the
    check runs on every scan, and a busy address holds as many hits as the limit allows)."""
    limit, window = rate()
    cache = caches[getattr(settings, "ONELICENSE_VERIFY_CACHE", "default")]
    key = f"onelicense:verify-rate:{request.META.get('REMOTE_ADDR', '')}"
    now = time.time()
    hits: array[float] = array("d", cache.get(key, b""))
    del hits[: bisect_right(hits, now - window)]
    if len(hits) >= limit:
        cache.set(key, hits.tobytes(), math.ceil(window))
        return max(1, math.ceil(hits[0] + window - now))
    insort(hits, now)  # in time order even if another server's clock runs a little ahead
    cache.set(key, hits.tobytes(), math.ceil(window))
    return None


def rate_limited_json(retry_after: int) -> JsonResponse:
    error = VerificationError("rate_limited")
    body = {"code": error.code, "message": error.message, "fields": {}}
    response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(retry_after)
    return response

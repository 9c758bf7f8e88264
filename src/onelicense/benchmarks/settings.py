"""Settings of the server the serving benchmark starts: the project's, plus the baseline view.

DEBUG off, the verification rate limit raised so that
one load generator's address is never refused — the limiter still runs on every request, with
lists of recent hits as long as a busy client's — and the URLconf that adds the baseline.
"""

import os

from onelicense.settings import *  # noqa: F403 (the project's settings, then ours)

DEBUG = False
ROOT_URLCONF = "onelicense.benchmarks.urls"
# 1,000,000 requests in any 0.1 s: never reached; each address's list holds ~0.1 s of hits.
ONELICENSE_VERIFY_RATE = os.getenv("ONELICENSE_BENCH_VERIFY_RATE", "1000000/0.1")

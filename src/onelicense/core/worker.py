"""`onelicense worker`: runs the periodic jobs named in settings.ONELICENSE_WORKER_JOBS.

The jobs are named by dotted path so that this shared kernel depends on no app: the outbox
drain, the deadline warnings, and whatever later parts add.
"""

import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def jobs() -> list[tuple[str, Callable[[], object]]]:
    return [(path, import_string(path)) for path in settings.ONELICENSE_WORKER_JOBS]


def run_once() -> dict[str, object]:
    """Each job once; a failing job is logged and the others still run."""
    results: dict[str, object] = {}
    for path, job in jobs():
        try:
            results[path] = job()
        except Exception:
            logger.exception("worker job %s failed", path)
            results[path] = "failed"
    return results


def run_forever(*, interval: float) -> None:
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        close_old_connections()
        run_once()
        time.sleep(interval)

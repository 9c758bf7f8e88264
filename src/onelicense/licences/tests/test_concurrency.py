"""Serial numbers under real concurrency, with real row locks: run on PostgreSQL.

Two transactions taking the next serial of one sequence at the same moment get two serials,
whether the sequence's counter exists yet or not.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from onelicense.licences.identifiers import serial_next
from onelicense.licences.models import SerialCounter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://… (make test)"


def _take_together(code: str, count: int) -> list[int]:
    """Each thread takes a serial and holds its transaction open a moment, so that the others
    ask while it is uncommitted."""
    barrier = threading.Barrier(count)
    taken: list[int] = []

    def take() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                serial = serial_next(code)
                time.sleep(0.2)
            taken.append(serial)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return taken


def test_two_at_once_on_an_existing_counter_get_two_serials():
    SerialCounter.objects.create(code="certificate:110105:2026", last=41)
    assert sorted(_take_together("certificate:110105:2026", 3)) == [42, 43, 44]
    assert SerialCounter.objects.get(code="certificate:110105:2026").last == 44


def test_two_at_once_on_a_new_sequence_get_two_serials():
    assert sorted(_take_together("status:110108", 2)) == [1, 2]
    assert SerialCounter.objects.get(code="status:110108").last == 2

"""Decisions under real concurrency, with real row locks: run on PostgreSQL.

Two reviewers deciding one case at the same moment make one decision; two departments
finishing at the same moment complete the application exactly once.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application
from onelicense.approvals import services
from onelicense.approvals.models import CaseAction, ItemCase
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.errors import DomainError
from onelicense.core.models import Event

# serialized_rollback restores the places the data migration made, which a flush removes.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    assert connection.vendor == "postgresql", "run with DATABASE_URL=postgres://… (make test)"


@pytest.fixture(autouse=True)
def _slow_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold every decision for a moment after its checks, so that the racing transactions
    overlap for certain; without the row locks these tests fail."""
    real = services._validity

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_validity", slow)


def reviewer(kind: str, name: str) -> User:
    office = Department.objects.get(district__code="110105", kind__code=kind)
    return User.objects.create_user(name, role=User.Role.REVIEWER, department=office)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result or raised DomainError."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except DomainError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_reviewers_deciding_one_case_make_one_decision(beijing_catalogue, applicant, clerk):
    application = restaurant_accepted(applicant, clerk)
    case = application.cases.get(item__code="food_business_licence")
    first, second = reviewer("market_regulation", "a"), reviewer("market_regulation", "b")
    results = race(
        lambda: services.case_approve(case=case, reviewer=first),
        lambda: services.case_approve(case=case, reviewer=second),
    )
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1 and errors[0].code == "item_case_already_decided"
    assert errors[0].message == "该事项已作出决定"
    assert CaseAction.objects.filter(case=case, kind="approve").count() == 1
    case.refresh_from_db()
    assert case.status == ItemCase.Status.APPROVED
    assert case.decided_by in (first, second)


def test_departments_finishing_at_once_complete_the_application_once(
    beijing_catalogue, applicant, clerk
):
    application = restaurant_accepted(applicant, clerk)
    cases = {c.item.code: c for c in application.cases.select_related("item")}
    people = {
        "food_business_licence": reviewer("market_regulation", "m"),
        "fire_safety_check": reviewer("fire_rescue", "f"),
        "tobacco_retail_licence": reviewer("tobacco", "t"),
    }
    results = race(
        *[
            (lambda code=code: services.case_approve(case=cases[code], reviewer=people[code]))
            for code in cases
        ]
    )
    assert all(isinstance(r, ItemCase) for r in results), results
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETED
    completed = Event.objects.filter(verb="application_completed", subject_id=str(application.pk))
    assert completed.count() == 1

"""The generated history: a mix of states, consistent rows, valid codes, the same rows for the
same seed, and certificates whose live page opens."""

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from stdnum.cn import uscc

from onelicense.applications.models import Application, ApplicationItem, Enterprise
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.catalogue.services import catalogue_import
from onelicense.conftest import BEIJING, _open_everywhere
from onelicense.history import HistorySummary, history_find, history_generate
from onelicense.history.rows import OTHER_TRADES, TRADES
from onelicense.licences.identifiers import identifier_valid
from onelicense.licences.models import Certificate, CertificateEntry, Permit
from onelicense.licences.services import certificate_status, face_digest
from onelicense.licences.tokens import token_mac

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
S = Application.Status


def _generate(applications: int, seed: int = 7) -> HistorySummary:
    return history_generate(applications=applications, seed=seed, today=TODAY, out=io.StringIO())


@pytest.fixture(scope="module")
def history(django_db_setup: None, django_db_blocker: Any) -> Iterator[HistorySummary]:
    """One generation for the whole module (the catalogue's import alone takes seconds), in a
    transaction rolled back at the end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        version = catalogue_import(
            text=BEIJING.read_text("utf-8"), filename=BEIJING.name, publish=True
        )
        _open_everywhere(version)
        yield _generate(300)
        transaction.set_rollback(True)


def test_history_has_the_mix_of_states_over_the_year_before_today(history):
    statuses = dict(Application.objects.values_list("status").annotate(n=Count("id")))
    assert sum(statuses.values()) == 300 == history.applications
    assert statuses[S.COMPLETED] > 150
    assert statuses[S.ACCEPTED] > 0 and statuses[S.REFUSED] > 0 and statuses[S.WITHDRAWN] > 0
    assert set(statuses) <= {S.SUBMITTED, S.ACCEPTED, S.COMPLETED, S.REFUSED, S.WITHDRAWN}
    days = [t for t in Application.objects.values_list("submitted_at", flat=True) if t]
    assert len(days) == 300
    assert min(days).date() >= TODAY - datetime.timedelta(days=366)
    assert max(days).date() <= TODAY
    assert Application.objects.values("district").distinct().count() >= 10
    assert Application.objects.filter(channel=Application.Channel.WINDOW).exists()
    assert Application.objects.filter(channel=Application.Channel.ONLINE).exists()


def test_every_code_carries_its_check_character(history):
    for code in Enterprise.objects.values_list("uscc", flat=True):
        assert uscc.is_valid(code), code
    for identifier in Certificate.objects.values_list("identifier", flat=True):
        assert identifier_valid(identifier), identifier
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) == 300


def test_cases_follow_acceptance_and_decisions_follow_their_start(history):
    accepted = Application.objects.filter(status__in=[S.ACCEPTED, S.COMPLETED])
    assert ItemCase.objects.exclude(application__in=accepted).count() == 0
    assert ApplicationItem.objects.filter(case__isnull=True, application__in=accepted).count() == 0
    decided = ItemCase.objects.filter(status__in=ItemCase.DECIDED)
    assert decided.count() > 500
    for case in decided.select_related("application"):
        assert case.decided_at is not None
        assert case.decided_at.date() >= case.started_on
        accepted_at = case.application.decided_at
        assert accepted_at is not None and case.started_on == timezone.localdate(accepted_at)
    assert ItemCase.objects.filter(status=ItemCase.Status.REFUSED).exists()
    # Some open cases are past their promised date (overdue), all open cases are undecided.
    open_cases = ItemCase.objects.exclude(status__in=ItemCase.DECIDED)
    assert open_cases.filter(decided_at__isnull=False).count() == 0
    assert open_cases.filter(application__status=S.ACCEPTED).count() == open_cases.count()


def test_corrections_pause_the_clock_by_the_days_recorded(history):
    corrected = CaseAction.objects.filter(kind=CaseAction.Kind.CORRECTED)
    assert corrected.exists()
    for action in corrected.select_related("case"):
        assert action.case.paused_days == action.details["paused_days"] > 0
        asked = action.case.actions.get(kind=CaseAction.Kind.CORRECTION)
        assert asked.created_at < action.created_at
    waiting = ItemCase.objects.filter(status=ItemCase.Status.CORRECTION)
    assert waiting.filter(Q(paused_since__isnull=True) | Q(due_date__isnull=False)).count() == 0


def test_commitment_approvals_have_their_verification(history):
    commitment = ItemCase.objects.filter(route=ApplicationItem.Route.COMMITMENT)
    assert commitment.exists()
    assert commitment.exclude(status=ItemCase.Status.APPROVED).count() == 0
    assert Verification.objects.count() == commitment.count()
    outcomes = set(Verification.objects.values_list("outcome", flat=True))
    assert {Verification.Outcome.PENDING, Verification.Outcome.CONFIRMED} <= outcomes
    assert Verification.objects.filter(outcome="rectify", rectify_by__isnull=True).count() == 0


def test_completed_applications_have_certificates_listing_their_own_permits(history):
    completed = Application.objects.filter(status=S.COMPLETED)
    with_approval = completed.filter(cases__status=ItemCase.Status.APPROVED).distinct()
    assert with_approval.filter(certificates__isnull=True).count() == 0
    assert Certificate.objects.exclude(application__status=S.COMPLETED).count() == 0
    assert Permit.objects.exclude(case__status=ItemCase.Status.APPROVED).count() == 0
    assert Permit.objects.exclude(application=F("case__application")).count() == 0
    entries = CertificateEntry.objects.filter(permit__isnull=False)
    assert entries.exclude(permit__application=F("certificate__application")).count() == 0
    assert entries.exclude(permit__item=F("item")).count() == 0
    for certificate in Certificate.objects.all()[:50]:
        assert face_digest(certificate.face) == certificate.face_digest
        listed = [row["number"] for row in certificate.face["licensed"]]
        permits = certificate.entries.filter(permit__isnull=False)
        assert sorted(listed) == sorted(permits.values_list("permit__number", flat=True))


def test_status_indexes_are_unique_and_the_counters_moved_past_them(history):
    from onelicense.licences.identifiers import status_index_next

    indexes = list(Certificate.objects.values_list("status_list", "status_index")) + list(
        Permit.objects.values_list("status_list", "status_index")
    )
    assert len(indexes) == len(set(indexes))
    code, top = max(indexes, key=lambda pair: pair[1])
    assert status_index_next(code) == top + 1


def test_a_generated_certificate_opens_on_the_live_page_as_valid(history, client):
    certificate = next(
        c
        for c in Certificate.objects.exclude(token="").order_by("id")
        if certificate_status(c) == Certificate.Status.VALID
    )
    page = client.get(f"/v/{certificate.token}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "有效" in text and certificate.number in text and "已作废" not in text


def _snapshot() -> dict[str, list[Any]]:
    return {
        "applications": list(
            Application.objects.order_by("id").values_list(
                "number", "status", "channel", "submitted_at", "completed_at", "form_data"
            )
        ),
        "cases": list(
            ItemCase.objects.order_by("id").values_list(
                "item__code", "status", "started_on", "due_date", "decided_at", "paused_days"
            )
        ),
        "certificates": list(
            Certificate.objects.order_by("id").values_list(
                "number", "version", "identifier", "face_digest", "status_index"
            )
        ),
    }


class _Rollback(Exception):
    pass


def _generated_and_rolled_back(seed: int) -> dict[str, list[Any]]:
    try:
        with transaction.atomic():
            _generate(60, seed=seed)
            snapshot = _snapshot()
            raise _Rollback
    except _Rollback:
        return snapshot


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(history):
    first = _generated_and_rolled_back(11)
    assert first == _generated_and_rolled_back(11)
    assert first["applications"] != _generated_and_rolled_back(12)["applications"]


def test_a_batch_is_recorded_for_reuse(history):
    assert history_find(applications=300, seed=7) == history.first_id
    assert history_find(applications=300, seed=8) is None


def test_every_generated_token_carries_its_mac(history):
    rows = list(Certificate.objects.values_list("token", "token_mac"))
    assert any(token for token, _ in rows)
    assert all(mac == (token_mac(token) if token else "") for token, mac in rows)


def test_a_holder_is_named_for_its_industry(history):
    rows = Application.objects.values_list("enterprise__name", "industry__category")
    assert rows
    for name, category in rows:
        assert any(trade in name for trade in TRADES.get(category, OTHER_TRADES)), (name, category)

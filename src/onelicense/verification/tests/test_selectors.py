"""certificate_for_token: one query, and the face as the ORM would read it."""

import datetime

from onelicense.licences.models import Certificate, Permit
from onelicense.verification.selectors import _COLUMNS, ItemStatus, certificate_for_token


def test_the_face_reads_back_as_stored_whatever_it_holds(certificate, django_assert_num_queries):
    face = certificate.face | {
        "holder": "北京“老字号”餐饮有限公司 🍜",
        "licensed": [{"item": "食品经营许可", "scopes": [["热食", "冷食"], [], [1, 2.5]]}],
        "notes": {"quoted": 'a\\b"c\n', "none": None, "chain": True},
    }
    Certificate.objects.filter(pk=certificate.pk).update(face=face)
    stored = Certificate.objects.get(pk=certificate.pk).face
    with django_assert_num_queries(1):  # one row per entry, the face decoded once
        live = certificate_for_token(number=certificate.number, version=certificate.version)
    assert live is not None and len(live.items) == 3
    assert live.face == face == stored
    assert list(live.face) == list(stored)  # the key order too (PostgreSQL's jsonb reorders)


def test_every_column_reads_as_the_orm_reads_it(certificate):
    """The live read (PostgreSQL's binary format there) gives the values the ORM gives:
    aware times to the microsecond, dates, empty and missing values."""
    voided_at = datetime.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    Certificate.objects.filter(pk=certificate.pk).update(voided_at=voided_at, void_reason="")
    permit = Permit.objects.filter(entries__certificate=certificate).order_by("id").first()
    assert permit is not None
    Permit.objects.filter(pk=permit.pk).update(valid_until=None)
    stored = Certificate.objects.get(pk=certificate.pk)

    live = certificate_for_token(number=certificate.number, version=certificate.version)

    assert live is not None
    for column in _COLUMNS:
        assert getattr(live, column) == getattr(stored, column), column
    assert live.voided_at == voided_at and live.issued_at.utcoffset() == datetime.timedelta(0)
    entries = stored.entries.select_related("item", "permit__department").order_by("order", "id")
    assert list(live.items) == [
        ItemStatus(
            item=entry.item.name,
            department=entry.permit.department.name,
            permit_name=entry.permit.name,
            permit_number=entry.permit.number,
            status=entry.permit.status,
            valid_from=entry.permit.valid_from,
            valid_until=entry.permit.valid_until,
        )
        for entry in entries
        if entry.permit is not None
    ]
    assert None in [item.valid_until for item in live.items]


def test_the_unlicensed_items_are_left_to_the_face(certificate):
    """An item with no permit (未许可事项) is not among the live items; the face lists it."""
    entry = certificate.entries.order_by("order", "id").first()
    assert entry is not None
    entry.permit = None
    entry.save(update_fields=["permit"])

    live = certificate_for_token(number=certificate.number, version=certificate.version)

    assert live is not None
    assert [item.item for item in live.items] == [
        e.item.name for e in certificate.entries.order_by("order", "id")[1:]
    ]

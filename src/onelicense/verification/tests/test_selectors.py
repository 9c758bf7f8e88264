"""certificate_for_token: one query, and the face as the ORM would read it."""

from onelicense.licences.models import Certificate
from onelicense.verification.selectors import certificate_for_token


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
    assert live is not None and len(live.entries) == 3
    assert live.face == face == stored
    assert list(live.face) == list(stored)  # the key order too (PostgreSQL's jsonb reorders)

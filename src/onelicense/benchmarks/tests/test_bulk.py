"""The serving benchmark's bulk batch, generated in the test's database: its sampled tokens
are stored as issue stores them, MAC included, so the load test takes the path scans take."""

import io

import pytest

from onelicense.benchmarks import bulk
from onelicense.licences.models import Certificate
from onelicense.licences.tokens import token_mac
from onelicense.verification.services import token_verify


@pytest.mark.django_db
def test_a_batch_stores_each_sampled_token_with_its_mac(beijing_catalogue):
    batch = bulk.batch_ensure(40, out=io.StringIO(), sample=10)
    rows = list(Certificate.objects.values_list("token", "token_mac"))
    assert len(rows) == 40 and sum(1 for token, _ in rows if token) == 10
    assert all(mac == (token_mac(token) if token else "") for token, mac in rows)
    assert all(token_verify(token).valid for _, token in batch.token_sample(10))

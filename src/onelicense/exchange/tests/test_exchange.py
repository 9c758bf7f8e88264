"""The city e-licence library over real HTTP, and the archive package."""

import datetime
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from onelicense.approvals.models import ItemCase
from onelicense.core.messaging import outbox_drain
from onelicense.core.models import OutboxMessage
from onelicense.exchange import archive
from onelicense.exchange.archive import archive_path, archive_verify
from onelicense.licences import services
from onelicense.licences.models import Permit
from onelicense.licences.tests.helpers import renewed


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Each test's archive packages in a folder of its own."""
    settings.DATA_DIR = tmp_path


class Library:
    """A stand-in for 市电子证照库: stores each record once per Idempotency-Key; can be down."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, object]] = {}
        self.posts = 0
        self.up = True
        library = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                library.posts += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not library.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                library.records.setdefault(self.headers["Idempotency-Key"], json.loads(body))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/licences"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def library(settings):
    receiver = Library()
    settings.ONELICENSE_LIBRARY_URL = receiver.url
    yield receiver
    receiver.server.shutdown()


def test_records_wait_while_the_library_is_down_and_arrive_once(library, completed, district_admin):
    start = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        library.up = False
        _sent, failed = outbox_drain()
    assert failed >= 1 and library.records == {}
    message = OutboxMessage.objects.get(channel="library")
    assert message.status == OutboxMessage.Status.PENDING and "503" in message.last_error
    library.up = True
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        outbox_drain()
        outbox_drain()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    (record,) = library.records.values()
    assert record["identifier"] == certificate.identifier
    assert record["holder_code_type"] == "001" and record["status_code"] == "01"
    assert record["operation"] == "issue"


def test_a_void_is_sent_too(library, completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    permit = Permit.objects.filter(entries__certificate=certificate).first()
    assert permit is not None
    services.permit_change(permit=permit, actor=None, operation="cancel", reason="申请注销")
    outbox_drain()
    operations = sorted(record["operation"] for record in library.records.values())
    assert operations == ["issue", "void"]


def test_an_archive_package_is_written_and_verifies(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    # The issue queues the package; the worker's outbox round writes it.
    assert not archive_path(certificate).exists()
    message = OutboxMessage.objects.get(channel=OutboxMessage.Channel.ARCHIVE)
    assert message.idempotency_key == f"archive:{certificate.identifier}"
    outbox_drain()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    content = archive_path(certificate).read_bytes()
    assert archive_verify(content) == []
    # A package whose PDF was swapped no longer matches its manifest.
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(changed, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            out.writestr(name, data + b"%" if name.endswith(".pdf") else data)
    assert archive_verify(changed.getvalue()) == [
        f"文件与清单不符：certificate-{certificate.number}-v1.pdf"
    ]


def test_a_package_that_fails_to_be_written_is_written_on_a_later_round(
    completed, district_admin, monkeypatch
):
    certificate = services.certificate_issue(application=completed, admin=district_admin)

    def disk_full(certificate: object) -> bytes:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(archive, "archive_build", disk_full)
        outbox_drain()
    path = archive_path(certificate)
    assert not path.exists()
    message = OutboxMessage.objects.get(channel=OutboxMessage.Channel.ARCHIVE)
    assert message.status == OutboxMessage.Status.PENDING and "No space" in message.last_error
    outbox_drain()  # not before its next attempt is due
    message.refresh_from_db()
    assert message.attempts == 1 and not path.exists()
    with time_machine.travel(message.next_attempt_at + datetime.timedelta(seconds=1)):
        outbox_drain()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert archive_verify(path.read_bytes()) == []
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # nothing left aside


def test_the_package_holds_every_decision_and_permit_with_their_history(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    outbox_drain()
    with zipfile.ZipFile(io.BytesIO(archive_path(certificate).read_bytes())) as package:
        decisions = json.loads(package.read("decisions.json"))
        permits = json.loads(package.read("permits.json"))

    cases = ItemCase.objects.filter(application=completed)
    assert sorted(d["item"] for d in decisions) == sorted(c.item.name for c in cases)
    for decision in decisions:
        case = cases.get(item__name=decision["item"])
        kinds = case.actions.order_by("created_at", "id").values_list("kind", flat=True)
        assert decision["actions"] and [a["kind"] for a in decision["actions"]] == list(kinds)
    assert sorted(p["number"] for p in permits) == sorted(
        Permit.objects.filter(application=completed).values_list("number", flat=True)
    )
    for row in permits:
        permit = Permit.objects.get(number=row["number"])
        operations = permit.events.order_by("created_at", "id").values_list("operation", flat=True)
        assert row["events"] and [e["operation"] for e in row["events"]] == list(operations)


def test_a_reissue_names_the_version_it_replaces(library, completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    new = renewed(certificate, district_admin)
    outbox_drain()
    records = {record["operation"]: record for record in library.records.values()}
    assert records["issue"]["previous_identifier"] is None
    assert records["reissue"]["identifier"] == new.identifier
    assert records["reissue"]["previous_identifier"] == certificate.identifier

"""The e-archive package (电子档案) of an application, written when its certificate is issued.

A zip with the application, the decisions, the permits, the certificate PDF and the events as
JSON, and a manifest giving each file's size, SHA-256 and SM3 digests; `archive_verify` checks a
package against its manifest.

Issuing queues the package in the outbox, in the issue's transaction, and the worker writes it
(`ArchiveBackend`): an issue neither waits for the package nor fails with the disk, and a
package not yet written is retried until it is. It holds the application as it stands when
written, normally seconds after the issue.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from onelicense.applications.selectors import application_timeline
from onelicense.approvals.models import CaseAction, ItemCase
from onelicense.core.messaging import enqueue
from onelicense.core.models import OutboxMessage
from onelicense.licences.models import Certificate, Permit, PermitEvent

MANIFEST = "manifest.json"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode()


ACTION_FIELDS = ("kind", "created_at", "reason", "details")
EVENT_FIELDS = ("operation", "from_status", "to_status", "reason", "legal_basis", "created_at")


def _fields(rows: Iterable[Any], names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{name: getattr(row, name) for name in names} for row in rows]


def _digests(content: bytes) -> dict[str, Any]:
    return {
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "sm3": hashlib.new("sm3", content).hexdigest(),
    }


def _stored(certificate: Certificate) -> bytes:
    # Read through the storage, leaving the model's own file handle untouched.
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        return bytes(handle.read())


def archive_build(certificate: Certificate) -> bytes:
    application = certificate.application
    cases = (
        ItemCase.objects.filter(application=application)
        .select_related("item", "department")
        .prefetch_related(Prefetch("actions", CaseAction.objects.order_by("created_at", "id")))
    )
    permits = (
        Permit.objects.filter(application=application)
        .select_related("department")
        .prefetch_related(Prefetch("events", PermitEvent.objects.order_by("created_at", "id")))
    )
    files: dict[str, bytes] = {
        "application.json": _json(
            {
                "number": application.number,
                "industry": application.industry.name,
                "district": application.district.name,
                "channel": application.channel,
                "answers": application.answers,
                "form": application.form_data,
                "submitted_at": application.submitted_at,
                "accepted_at": application.decided_at,
                "completed_at": application.completed_at,
                "catalogue_version": application.industry.version.code,
            }
        ),
        "decisions.json": _json(
            [
                {
                    "item": c.item.name,
                    "department": c.department.name,
                    "route": c.route,
                    "status": c.status,
                    "decided_at": c.decided_at,
                    "reason": c.decision_reason,
                    "legal_basis": c.legal_basis,
                    "permit_number": c.permit_number,
                    "actions": _fields(c.actions.all(), ACTION_FIELDS),
                }
                for c in cases
            ]
        ),
        "permits.json": _json(
            [
                {
                    "number": p.number,
                    "name": p.name,
                    "department": p.department.name,
                    "status": p.status,
                    "valid_from": p.valid_from,
                    "valid_until": p.valid_until,
                    "events": _fields(p.events.all(), EVENT_FIELDS),
                }
                for p in permits
            ]
        ),
        "events.json": _json(
            [
                {
                    "at": e.created_at,
                    "verb": e.verb,
                    "actor": str(e.actor or ""),
                    "reason": e.reason,
                    "data": e.data,
                }
                for e in application_timeline(application)
            ]
        ),
        f"certificate-{certificate.number}-v{certificate.version}.pdf": _stored(certificate),
    }
    manifest = {
        "application": application.number,
        "certificate": certificate.identifier,
        "files": {name: _digests(content) for name, content in files.items()},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            # The PDF's streams are compressed already: deflating the file again would take
            # longer than the rest of the package together, to save a fifth of its size.
            stored = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=stored)
        package.writestr(MANIFEST, _json(manifest))
    return out.getvalue()


def archive_path(certificate: Certificate) -> Path:
    return (
        Path(settings.DATA_DIR)
        / "archive"
        / certificate.district.code
        / f"{certificate.application.number}-v{certificate.version}.zip"
    )


def archive_on_issue(*, certificate: Certificate, operation: str, **_: Any) -> None:
    """Queue the package when a certificate version is issued (a certificate pipeline step)."""
    if operation not in ("issue", "reissue"):
        return
    enqueue(
        channel=OutboxMessage.Channel.ARCHIVE,
        recipient=str(archive_path(certificate).relative_to(settings.DATA_DIR)),
        subject=f"{operation} {certificate.identifier}",
        body=json.dumps({"certificate": certificate.pk}),
        key=f"archive:{certificate.identifier}",
    )


class ArchiveBackend:
    """Writes the package of the certificate a message names (the outbox's archive channel).
    The file appears whole or not at all (written aside, then renamed), so a retry after a
    failure, or a second send, writes the same package again."""

    def send(self, *, key: str, recipient: str, subject: str, body: str) -> None:
        certificate = Certificate.objects.select_related(
            "district", "application__district", "application__industry__version"
        ).get(pk=json.loads(body)["certificate"])
        path = archive_path(certificate)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.part")
        partial.write_bytes(archive_build(certificate))
        partial.replace(path)


def archive_verify(content: bytes) -> list[str]:
    """The faults of a package: files missing, extra, or whose digests differ. Empty if sound."""
    faults = []
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        manifest = json.loads(package.read(MANIFEST))
        names = set(package.namelist()) - {MANIFEST}
        for name, expected in manifest["files"].items():
            if name not in names:
                faults.append(f"缺少文件：{name}")
                continue
            if _digests(package.read(name)) != expected:
                faults.append(f"文件与清单不符：{name}")
        faults.extend(f"清单外的文件：{name}" for name in sorted(names - set(manifest["files"])))
    return faults

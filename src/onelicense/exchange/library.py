"""The city e-licence library (市电子证照库): every issue, reissue and void goes there.

Records are GB/T 36903-style metadata, queued in the outbox on the library channel and posted by
the worker to ONELICENSE_LIBRARY_URL with the idempotency key as a header: while the library is
down they wait and are retried; the library answers a repeated key without storing twice.
"""

import json
from typing import Any
from urllib import request

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone

from onelicense.core.messaging import enqueue
from onelicense.core.models import OutboxMessage
from onelicense.licences.identifiers import certificate_type_code, issuer_uscc
from onelicense.licences.models import Certificate
from onelicense.licences.services import certificate_status

# 持证主体代码类型 (GB/T 36903-2018 附录A): 001 统一社会信用代码.
HOLDER_CODE_TYPE = "001"
STATUS_CODES = {"valid": "01", "void": "04", "replaced": "99"}


def library_record(certificate: Certificate, operation: str) -> dict[str, Any]:
    face = certificate.face
    prefetch_related_objects([certificate], "entries__permit")
    status = certificate_status(certificate)
    return {
        "identifier": certificate.identifier,
        "operation": operation,
        "licence_type_name": "综合许可凭证",
        "licence_type_code": certificate_type_code(),
        "licence_number": certificate.number,
        "version": f"{certificate.version:03d}",
        "issue_date": certificate.issued_at.date().isoformat(),
        "issuer_name": face["issuer"],
        "issuer_code": issuer_uscc(certificate.district),
        "area_code": certificate.district.code,
        "holder_name": face["holder"],
        "holder_code": face["uscc"],
        "holder_code_type": HOLDER_CODE_TYPE,
        "status": status,
        "status_code": STATUS_CODES[status],
        "related_items": [row["item"] for row in face["licensed"]],
        # The first version replaces none; a later one, the version before it (换发).
        "previous_identifier": certificate.replaces.identifier
        if certificate.version > 1 and hasattr(certificate, "replaces")
        else None,
        "sent_at": timezone.now().isoformat(),
    }


def library_enqueue(*, certificate: Certificate, operation: str, **_: Any) -> None:
    """Queue one record (a pipeline step after every certificate change)."""
    record = library_record(certificate, operation)
    enqueue(
        channel=OutboxMessage.Channel.LIBRARY,
        recipient=settings.ONELICENSE_LIBRARY_URL,
        subject=f"{operation} {certificate.identifier}",
        body=json.dumps(record, ensure_ascii=False),
        key=f"library:{certificate.identifier}:{operation}",
    )


class HttpLibraryBackend:
    """POSTs the record as JSON; any answer but 2xx (or no answer) is a failure to retry."""

    timeout = 10

    def send(self, *, key: str, recipient: str, subject: str, body: str) -> None:
        req = request.Request(
            recipient,
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key},
        )
        with request.urlopen(req, timeout=self.timeout) as response:
            if not 200 <= response.status < 300:
                raise ConnectionError(f"library answered {response.status}")

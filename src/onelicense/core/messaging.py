"""Telling people: in-app notifications at once, e-mail and SMS through the outbox.

Backends are pluggable (settings ONELICENSE_OUTBOX_BACKENDS: channel → dotted path);
the demo writes to files in the data folder, production plugs in the government SMS gateway.
"""

import datetime
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from onelicense.core.models import Notification, OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: an account for the in-app message, and where else to reach them."""

    user_id: int | None = None
    email: str = ""
    phone: str = ""


class Backend(Protocol):
    """Sends one message; must deliver at most once per idempotency key."""

    def send(self, *, key: str, recipient: str, subject: str, body: str) -> None: ...


class FileBackend:
    """Appends each message as a JSON line to a file; a key already written is not written
    again (the at-most-once promise a real gateway keeps with its own request ids)."""

    def __init__(self, channel: str) -> None:
        self.path = Path(settings.DATA_DIR) / "outbox" / f"{channel}.jsonl"

    def sent_keys(self) -> set[str]:
        if not self.path.exists():
            return set()
        with self.path.open(encoding="utf-8") as lines:
            return {json.loads(line)["key"] for line in lines if line.strip()}

    def send(self, *, key: str, recipient: str, subject: str, body: str) -> None:
        if key in self.sent_keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "key": key,
            "to": recipient,
            "subject": subject,
            "body": body,
            "at": timezone.now().isoformat(),
        }
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


class EmailFileBackend(FileBackend):
    def __init__(self) -> None:
        super().__init__("email")


class SmsFileBackend(FileBackend):
    def __init__(self) -> None:
        super().__init__("sms")


class ConsoleBackend:
    def send(self, *, key: str, recipient: str, subject: str, body: str) -> None:
        print(f"[{key}] → {recipient}: {subject}\n{body}", flush=True)


def backend_for(channel: str) -> Backend:
    backend: Backend = import_string(settings.ONELICENSE_OUTBOX_BACKENDS[channel])()
    return backend


def enqueue(*, channel: str, recipient: str, subject: str, body: str, key: str) -> None:
    """Queue one message; the same key queues it once (a second is dropped by the key's unique
    index, in the one INSERT)."""
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                idempotency_key=key,
                channel=channel,
                recipient=recipient,
                subject=subject,
                body=body,
                next_attempt_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )


def notify(
    *, recipients: Iterable[Recipient], title: str, body: str, link: str = "", key: str
) -> None:
    """Tell each recipient in the app and, where they have one, by e-mail and SMS.

    `key` names the occasion (e.g. ``case:12:correction:3``); with the recipient and the channel
    it is the outbox's idempotency key, so telling twice of one occasion sends once.
    """
    for person in recipients:
        if person.user_id is not None:
            Notification.objects.create(
                recipient_id=person.user_id, title=title, body=body, link=link
            )
        for channel, address in (
            (OutboxMessage.Channel.EMAIL, person.email),
            (OutboxMessage.Channel.SMS, person.phone),
        ):
            if address:
                enqueue(
                    channel=channel,
                    recipient=address,
                    subject=title,
                    body=body,
                    key=f"{key}:{channel}:{address}",
                )


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def outbox_drain(*, limit: int = 100) -> tuple[int, int]:
    """Send what is due; returns (sent, failed this round). Several workers may run: each
    claims its rows with SELECT … FOR UPDATE SKIP LOCKED (on PostgreSQL)."""
    sent = failed = 0
    for _ in range(limit):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at", "id")
                .first()
            )
            if message is None:
                break
            message.attempts += 1
            try:
                backend_for(message.channel).send(
                    key=message.idempotency_key,
                    recipient=message.recipient,
                    subject=message.subject,
                    body=message.body,
                )
            except Exception as exc:  # any backend fault: keep the message, try later
                logger.warning("outbox %s failed (try %s): %s", message.pk, message.attempts, exc)
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxMessage.Status.FAILED
                message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                failed += 1
            else:
                message.status = OutboxMessage.Status.SENT
                message.sent_at = timezone.now()
                sent += 1
            message.save()
    return sent, failed


def notifications_of(user_id: int) -> QuerySet[Notification]:
    """A person's in-app messages, newest first."""
    return Notification.objects.filter(recipient_id=user_id)


def notifications_unread_count(user_id: int) -> int:
    return notifications_of(user_id).filter(read_at__isnull=True).count()


def notifications_mark_read(user_id: int, pk: int | None = None) -> int:
    """Mark one message (or every one) read; a conditional update, so reading twice keeps the
    first time. Returns how many were marked."""
    rows = notifications_of(user_id).filter(read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())

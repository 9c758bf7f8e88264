from typing import Any

from django.db.models import Model

from onelicense.core.models import Event


def event_record(
    *,
    actor: Any | None,
    verb: str,
    subject: Model,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Record one state change; call it inside the transaction that makes the change."""
    return Event.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        reason=reason,
        data=data or {},
    )

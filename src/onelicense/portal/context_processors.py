"""What the header shows on every page: the signed-in person's unread messages."""

from functools import cached_property

from django.http import HttpRequest

from onelicense.accounts.models import User
from onelicense.core.messaging import notifications_unread_count

BADGE_MAX = 99


class UnreadCount:
    """The number of unread messages, counted in one query the first time a page shows it
    (and not at all on a page that does not)."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def value(self) -> int:
        return notifications_unread_count(self.user.pk)

    def __bool__(self) -> bool:
        return self.value > 0

    def __str__(self) -> str:
        return f"{BADGE_MAX}+" if self.value > BADGE_MAX else str(self.value)


def navigation(request: HttpRequest) -> dict[str, UnreadCount]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"unread_messages": UnreadCount(user)}

"""The one domain error type that services raise and interfaces turn into answers."""

from collections.abc import Mapping

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule was broken: `code` for machines, `message` in Chinese for people.

    `fields` maps a field (or an entry path such as ``items[3].department``) to its own message.
    `status` is the HTTP status an interface answers with.
    """

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        fields: Mapping[str, str] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.fields = {key: str(value) for key, value in (fields or {}).items()}
        self.status = status

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}

"""The Jinja2 engine: the site's header and footer, and the page every QR scan opens.

Most pages are Django templates. The chrome (`jinja2/partials/`) and the live verification page
are Jinja2 templates, because they are rendered on every request of the busiest path and
Jinja2 compiles a template to Python code. What is fixed for a language and a URL root is
worked out once, when a template is compiled, not on every render: Jinja2 evaluates a filter
applied to a constant at compile time, so

    {{ "行业目录"|t }}           the translation, in the active language
    {{ "portal:home"|url }}      the reversed URL
    {{ "css/x.css"|static }}     the static file's URL

come out of the compiled template as plain text. The backend keeps one compiled copy of each
template per (language, script prefix, URLconf), so a compiled-in translation or URL is never
served to a request it does not belong to. The same filters with a variable argument work at
render time, as the Django template tags do.

Django templates include the chrome with `{% chrome "header" %}` (core/templatetags/chrome.py).
"""

import datetime
import threading
from collections.abc import Callable, MutableMapping
from functools import lru_cache
from operator import attrgetter
from typing import Any

import jinja2
from django.conf import settings
from django.template.backends.jinja2 import Jinja2 as DjangoJinja2
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language, gettext


class Jinja2(DjangoJinja2):
    """Django's Jinja2 backend with one compiled copy of each template per language and URL
    root (see the module docstring): `env` is an overlay of the configured environment, with
    its own template cache, for the language and URL root active now."""

    def __init__(self, params: dict[str, Any]) -> None:
        self._overlays: dict[tuple[str, str, str], jinja2.Environment] = {}
        self._overlays_lock = threading.Lock()
        super().__init__(params)

    @property
    def env(self) -> jinja2.Environment:
        key = (
            get_language() or "",
            get_script_prefix(),
            str(get_urlconf() or settings.ROOT_URLCONF),
        )
        env = self._overlays.get(key)
        if env is None:
            with self._overlays_lock:
                env = self._overlays.setdefault(key, self._base.overlay())
        return env

    @env.setter
    def env(self, value: jinja2.Environment) -> None:
        self._base = value
        self._overlays.clear()


def url(name: str, *args: Any) -> str:
    """`{{ "app:view"|url }}`, `{{ "app:view"|url(pk) }}`: Django's reverse()."""
    return reverse(name, args=args or None)


@lru_cache(maxsize=128)
def _date_pieces(fmt: str) -> tuple[tuple[bool, str], ...]:
    """A Django date format split once, as DateFormat.format splits it on every call:
    (True, format character) or (False, literal text)."""
    return tuple(
        (True, piece) if i % 2 else (False, dateformat.re_escaped.sub(r"\1", piece))
        for i, piece in enumerate(dateformat.re_formatchars.split(fmt))
        if piece
    )


# The format characters the pages use, as printf fields and the attribute each reads, writing
# what DateFormat writes (Y '%04d' % year, n the month, d '%02d' % day …). Any other character
# takes DateFormat.
_FIELDS = {
    "Y": ("%04d", "year"),
    "m": ("%02d", "month"),
    "n": ("%d", "month"),
    "d": ("%02d", "day"),
    "j": ("%d", "day"),
    "H": ("%02d", "hour"),
    "i": ("%02d", "minute"),
    "s": ("%02d", "second"),
}


@lru_cache(maxsize=128)
def _date_writer(fmt: str) -> Callable[[datetime.date], str] | None:
    """The format as one printf template over the attributes it reads, when every character
    in it has a field; None when one needs DateFormat. (A date has no hour: reading one
    raises AttributeError, as DateFormat does.)"""
    pieces = _date_pieces(fmt)
    if not all(piece in _FIELDS for is_char, piece in pieces if is_char):
        return None
    template = "".join(
        _FIELDS[piece][0] if is_char else piece.replace("%", "%%") for is_char, piece in pieces
    )
    names = [_FIELDS[piece][1] for is_char, piece in pieces if is_char]
    if not names:
        return lambda value: template % ()
    read = attrgetter(*names)
    if len(names) == 1:
        return lambda value: template % (read(value),)
    return lambda value: template % read(value)


def date(value: datetime.date | datetime.datetime | None, fmt: str = "") -> str:
    """Django's `date` filter: an aware time in the current time zone, in a Django date format
    (`"Y年n月j日"`; the language's DATE_FORMAT when none is given); empty for no value, or for
    a time format applied to a date. The common formats are written by one printf call
    (`_date_writer`), the others by Django's DateFormat."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    fmt = fmt or formats.get_format("DATE_FORMAT")
    try:
        if fmt == "c":
            return value.isoformat()
        write = _date_writer(fmt)
        if write is not None:
            return write(value)
        formatter = dateformat.DateFormat(value)
        return "".join(
            str(getattr(formatter, piece)()) if is_char else piece
            for is_char, piece in _date_pieces(fmt)
        )
    except AttributeError:
        return ""


class Environment(jinja2.Environment):
    """Jinja2's environment, with each template's globals in one dict.

    Jinja2 chains a template's globals to the environment's (a ChainMap), so that globals
    added to the environment later still show; every render then copies that chain into the
    render's context key by key, in Python. Ours are all set when the environment is made
    (`environment` below), so a template takes a copy when it is loaded.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def environment(**options: Any) -> jinja2.Environment:
    # A line holding only a tag writes nothing: the page is smaller, the templates readable.
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)
    env.filters.update(t=gettext, url=url, static=static, date=date)
    return env

"""`{% chrome "header" %}`: the site's header or footer (Jinja2 templates, onelicense.core.jinja)
in a page rendered by Django's template engine."""

import jinja2
from django import template
from django.template import engines
from django.template.backends.utils import csrf_input_lazy
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What the chrome reads, as the page's context processors made it.
_NAMES = ("request", "user", "large_text", "unread_messages")


@register.simple_tag(takes_context=True)
def chrome(context: Context, part: str) -> SafeString:
    values = {name: context[name] for name in _NAMES if name in context}
    if values.get("request") is not None:
        values["csrf_input"] = csrf_input_lazy(values["request"])
    compiled: jinja2.Template = engines["jinja2"].get_template(f"partials/{part}.html").template  # type: ignore[attr-defined]
    return mark_safe(compiled.render(values))

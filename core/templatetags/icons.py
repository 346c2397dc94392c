"""`{% icon "name" %}`: a DKFDS icon as inline SVG markup. A simple tag instead of an
`{% include %}` per icon, which cost a template render each on every page's chrome."""

from functools import cache

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@cache
def _sprite() -> str:
    # The hashed name of the sprite is fixed for the life of the process (manifest storage).
    return static("vendor/dkfds/img/all-svg-icons.svg")


@register.simple_tag
def icon(name: str, icon_class: str = ""):
    """The icon `name` from the DKFDS sprite, hidden from assistive technology."""
    classes = f"icon-svg {icon_class}" if icon_class else "icon-svg"
    return format_html(
        '<svg class="{}" focusable="false" aria-hidden="true"><use href="{}#{}"></use></svg>',
        classes,
        _sprite(),
        name,
    )

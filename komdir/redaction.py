"""Secrets in URL paths never reach a log: feed and invitation tokens, password-reset and
email confirmation keys. Imports nothing of Django, so that gunicorn's logger can use it."""

import logging
import re

SECRET_IN_PATH = re.compile(
    r"(?P<prefix>/(?:kalender|invitation|accounts/password/reset/key|accounts/confirm-email)/)"
    r"[^/?#\s'\"]+"
)


def redact(text: str | None) -> str | None:
    """The text with every secret path segment replaced by a placeholder."""
    if not text:
        return text
    return SECRET_IN_PATH.sub(r"\g<prefix>[redacted]", text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class _RedactedRepr:
    """The request as it was, except that its repr (which formatters print) hides secrets."""

    def __init__(self, wrapped) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str):
        return getattr(self._wrapped, name)

    def __repr__(self) -> str:
        return redact(repr(self._wrapped))

    __str__ = __repr__


class RedactSecrets(logging.Filter):
    """A logging filter for django.request and django.server: the message, its arguments
    and the request attached to the record hide every secret path segment."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, _RedactedRepr):
            record.request = _RedactedRepr(request)
        return True


class NoTracebackBelow500(logging.Filter):
    """Django logs a refused request (403, 404) with the exception that refused it; the
    line says all there is, so the traceback goes. Errors (500) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True

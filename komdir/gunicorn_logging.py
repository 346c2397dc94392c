"""gunicorn's access log without secrets: invitation tokens and calendar-feed tokens live
in URL paths, and whoever reads the logs must not be able to use them."""

import re

from gunicorn.glogging import Logger

SECRET_IN_PATH = re.compile(r"/(invitation|kalender)/[^/?#\s]+")


def redact(text: str | None) -> str | None:
    """The text with every secret path segment replaced by a placeholder."""
    if not text:
        return text
    return SECRET_IN_PATH.sub(lambda match: f"/{match.group(1)}/[redacted]", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The path shows up in several atoms (request line, path, referer, environ).
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

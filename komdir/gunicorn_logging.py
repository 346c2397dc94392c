"""gunicorn's access log without secrets: tokens and keys live in URL paths, and whoever
reads the logs must not be able to use them."""

from gunicorn.glogging import Logger

from komdir.redaction import redact

# Every secret path starts with one of these (komdir/redaction.py). A substring test costs
# well under a microsecond, so the ordinary request skips the regex over every atom.
_SECRET_MARKERS = ("/kalender/", "/invitation/", "/accounts/")


def _may_hold_secret(environ) -> bool:
    seen = " ".join(
        (environ.get("RAW_URI", ""), environ.get("PATH_INFO", ""), environ.get("HTTP_REFERER", ""))
    )
    return any(marker in seen for marker in _SECRET_MARKERS)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if not _may_hold_secret(environ):
            return atoms
        # The path shows up in several atoms (request line, path, referer, environ).
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

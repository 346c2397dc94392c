"""gunicorn's access log without secrets: tokens and keys live in URL paths, and whoever
reads the logs must not be able to use them."""

from gunicorn.glogging import Logger

from komdir.redaction import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The path shows up in several atoms (request line, path, referer, environ).
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

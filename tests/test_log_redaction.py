"""Secrets in URL paths (feed tokens, invitation tokens, password-reset and email
confirmation keys) never reach a log: Django's request and server logs, and gunicorn's."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

TOKEN = "s3cr3t-t0ken-0123456789abcdefghijklmnopqrstuvwxyz"

SECRET_PATHS = [
    (f"/kalender/{TOKEN}.ics", "/kalender/[redacted]"),
    (f"/invitation/{TOKEN}/", "/invitation/[redacted]/"),
    (f"/accounts/password/reset/key/3f-{TOKEN}/", "/accounts/password/reset/key/[redacted]/"),
    (f"/accounts/confirm-email/{TOKEN}/", "/accounts/confirm-email/[redacted]/"),
]


@pytest.mark.parametrize(("path", "redacted"), SECRET_PATHS)
def test_every_token_bearing_path_is_redacted(path, redacted):
    from komdir.redaction import redact

    assert redact(f'"GET {path}?x=1 HTTP/1.1" 404') == f'"GET {redacted}?x=1 HTTP/1.1" 404'


def test_paths_without_a_secret_are_left_alone():
    from komdir.redaction import redact

    for path in ("/profil/kalender/", "/kredse/hovedstaden/kalender.ics", "/bidrag/12/"):
        assert redact(path) == path


@pytest.mark.django_db
def test_a_404_on_a_calendar_feed_logs_no_token(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/kalender/{TOKEN}.ics")
    assert response.status_code == 404
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records, "the 404 was not logged"
    for record in records:
        assert TOKEN not in record.getMessage()
        # Formatters that write every attribute (the JSON one) show the request's repr.
        assert TOKEN not in repr(getattr(record, "request", ""))
    assert "/kalender/[redacted]" in records[0].getMessage()


@pytest.mark.parametrize(("path", "redacted"), SECRET_PATHS)
def test_the_development_server_log_shows_no_token(path, redacted):
    logger = logging.getLogger("django.server")
    assert logger.handlers, "runserver's request lines must still be written"
    records = []
    collector = logging.Handler()
    collector.emit = records.append
    logger.addHandler(collector)
    try:
        logger.info('"%s" %s %s', f"GET {path} HTTP/1.1", "404", "0")
    finally:
        logger.removeHandler(collector)
    message = records[-1].getMessage()
    assert TOKEN not in message and redacted in message


@pytest.mark.parametrize(("path", "redacted"), SECRET_PATHS)
def test_the_gunicorn_access_log_shows_no_token(path, redacted):
    from gunicorn.config import Config

    from komdir.gunicorn_logging import RedactingLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://komdir.example{path}",
    }
    atoms = RedactingLogger(Config()).atoms(
        SimpleNamespace(status="404 Not Found", sent=0, headers=[]),
        SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])]),
        environ,
        timedelta(seconds=0),
    )
    assert TOKEN not in " ".join(str(value) for value in atoms.values())
    assert redacted in atoms["r"]

"""What `make run` shows in its console: refusals as lines, not tracebacks; mails as
they are written; nothing twice."""

import logging

from komdir.redaction import NoTracebackBelow500


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
        record.exc_info = sys.exc_info()
    record.status_code = status
    return record


def test_a_refusal_is_logged_without_its_traceback_and_an_error_with_it():
    refused, failed = _record(403), _record(500)
    assert NoTracebackBelow500().filter(refused) and refused.exc_info is None
    assert NoTracebackBelow500().filter(failed) and failed.exc_info is not None


def test_make_run_starts_server_and_worker_and_one_ctrl_c_stops_both_cleanly(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    # A database of its own, migrated, so that the worker's beat finds its tables.
    env |= {
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "komdir.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=root, env=env, check=True
    )
    log = (tmp_path / "run.log").open("w+")
    run = subprocess.Popen(
        [sys.executable, "scripts/run_dev.py", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # answered
            except OSError:
                assert time.monotonic() < deadline, "the server did not come up"
                assert run.poll() is None, "make run ended by itself"
                time.sleep(0.5)
        time.sleep(3)  # the worker up too
        run.send_signal(signal.SIGINT)  # what a Ctrl-C in the terminal delivers
        assert run.wait(timeout=30) == 0
    finally:
        if run.poll() is None:
            run.kill()
    log.seek(0)
    output = log.read()
    assert "Stopped." in output
    assert output.count("Warm shutdown") == 1, output[-2000:]
    assert "signal 15" not in output and "Traceback" not in output, output[-2000:]


def test_the_console_gets_mails_straight():
    from django.conf import settings as live

    if live.EMAIL_BACKEND.endswith("console.EmailBackend"):
        assert live.CELERY_WORKER_REDIRECT_STDOUTS is False

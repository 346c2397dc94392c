"""Gunicorn configuration for the production web service (see docker-compose.yml).

Workers, threads, the timeout and the trusted proxies are set through the environment,
so they change without rebuilding the image.
"""

import os


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = "0.0.0.0:8000"
wsgi_app = "komdir.wsgi:application"

# Processes: WEB_CONCURRENCY (the name Heroku and most PaaS use), else
# 2 x cores + 1, capped at 8 so that a large host does not exhaust the
# database's connections (each process keeps its own connection pool).
workers = _int_env("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8))
# Threads per process; more than one means the gthread worker.
threads = _int_env("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"

# Requests are short; a slow one is a bug, not a reason to hold a worker.
timeout = _int_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# No worker recycling by default: a restart costs about a second of CPU and, under load,
# halved the throughput (issue 11). Set GUNICORN_MAX_REQUESTS (e.g. 100000) to recycle
# anyway if a leak shows up; the jitter keeps the workers from restarting all at once.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int_env("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)

# The heartbeat file lives in memory: a container's overlay filesystem can
# stall it long enough for the arbiter to kill healthy workers.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - tmpfs, private to the container

# Logs go to the container's stdout/stderr.
accesslog = "-"
# Tokens and keys in URL paths are secrets: keep them out of the access log (komdir/redaction.py).
logger_class = "komdir.gunicorn_logging.RedactingLogger"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
capture_output = True

# Which peers may set X-Forwarded-Proto/-For: the reverse proxy in front of the
# container. "*" is right only when nothing but the proxy can reach port 8000.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Guard against oversized request lines and headers.
limit_request_line = 8190
limit_request_fields = 100

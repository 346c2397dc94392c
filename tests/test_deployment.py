"""The production packaging: docker-compose.yml, Dockerfile, gunicorn.conf.py, .env.example.

There may be no Docker engine where the tests run, so these tests read the files and
check them against the code they start: the Celery app, the WSGI module, the URLconf
and the settings. Production settings are checked in a subprocess, where the settings
module does not see pytest and behaves exactly as it does in the container.
"""

import functools
import importlib
import json
import os
import re
import runpy
import secrets
import shlex
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "komdir" / "settings.py"
README = ROOT / "README.md"

APP_SERVICES = ("web", "worker", "beat")


# --- helpers -------------------------------------------------------------------------


def _interpolate(value: str) -> str:
    """Replace compose ${VAR...} substitutions with a URL-safe placeholder."""
    return re.sub(r"\$\{[^}]*\}", "placeholder", value)


def _command(service: dict) -> list[str]:
    command = service.get("command", [])
    if isinstance(command, str):
        return shlex.split(command)
    return [str(part) for part in command]


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: _interpolate(str(value)) for key, value in environment.items()}


def _depends_on(service: dict) -> dict[str, dict]:
    depends_on = service.get("depends_on", {})
    if isinstance(depends_on, list):
        return {name: {"condition": "service_started"} for name in depends_on}
    return depends_on


def _celery_app_name(command: list[str]) -> str | None:
    for flag in ("-A", "--app"):
        if flag in command:
            return command[command.index(flag) + 1]
    for part in command:
        if part.startswith("--app="):
            return part.split("=", 1)[1]
    return None


def _documented_variables() -> set[str]:
    """Every NAME in .env.example, set (NAME=...) or shown as optional (# NAME=...)."""
    pattern = re.compile(r"^#?\s?([A-Z][A-Z0-9_]*)=")
    return {
        m.group(1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if (m := pattern.match(line))
    }


def _settings_variables() -> set[str]:
    """Every variable komdir/settings.py reads through env(), env_bool() or env_list()."""
    source = SETTINGS.read_text(encoding="utf-8")
    return set(re.findall(r"\benv(?:_bool|_list)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source))


def _compose_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text(encoding="utf-8")))


def _gunicorn_variables() -> set[str]:
    source = GUNICORN_CONF.read_text(encoding="utf-8")
    return set(re.findall(r"(?:_int_env|environ\.get)\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def _production_environment() -> dict[str, str]:
    """What the container sees: no DEBUG, a real key, a real host; nothing from this run."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    environment = {name: os.environ[name] for name in keep if name in os.environ}
    environment.update(
        DJANGO_SETTINGS_MODULE="komdir.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="komdir.example",
        SITE_URL="https://komdir.example",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return environment


def _manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


# --- docker-compose.yml --------------------------------------------------------------


def test_compose_defines_the_whole_stack(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_there_is_exactly_one_beat_and_it_cannot_be_scaled(services):
    beats = [
        name
        for name, service in services.items()
        if (command := _command(service))
        and "celery" in command[0]
        and ("beat" in command or "--beat" in command or "-B" in command)
    ]
    assert beats == ["beat"]
    beat = services["beat"]
    assert beat.get("deploy", {}).get("replicas", 1) <= 1
    assert beat.get("scale", 1) <= 1


def test_the_worker_can_be_scaled(services):
    worker = services["worker"]
    assert "container_name" not in worker
    assert not (set(_command(worker)) & {"--beat", "-B"})
    assert not (worker.get("ports") or [])


def test_web_runs_gunicorn_with_the_config_file_and_the_wsgi_app(services):
    command = _command(services["web"])
    assert Path(command[0]).name == "gunicorn"
    config_flags = [i for i, part in enumerate(command) if part in ("-c", "--config")]
    assert config_flags and command[config_flags[0] + 1] == "gunicorn.conf.py"
    wsgi = [part for part in command if part.startswith("komdir.wsgi")]
    assert wsgi, command
    module, _, attribute = wsgi[0].partition(":")
    assert callable(getattr(importlib.import_module(module), attribute or "application"))


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_komdir_celery_app(services, service, subcommand):
    from komdir.celery import app

    command = _command(services[service])
    assert Path(command[0]).name == "celery"
    assert _celery_app_name(command) == app.main == "komdir"
    assert subcommand in command


def test_beat_keeps_its_schedule_where_the_unprivileged_user_may_write(services):
    command = _command(services["beat"])
    schedule = next(
        (command[i + 1] for i, part in enumerate(command) if part in ("-s", "--schedule")),
        None,
    )
    assert schedule and schedule.startswith("/tmp/")


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_every_app_service_uses_the_compose_database_and_redis(services, name):
    if name not in services:
        pytest.skip("no separate migrate service")
    service = services[name]
    env_files = service.get("env_file", [])
    env_files = [env_files] if isinstance(env_files, str) else env_files
    assert ".env" in [f["path"] if isinstance(f, dict) else f for f in env_files]
    environment = _environment(service)

    database = urllib.parse.urlsplit(environment["DATABASE_URL"])
    assert database.scheme in ("postgres", "postgresql")
    assert database.hostname == "postgres" and (database.port or 5432) == 5432
    assert database.path == "/" + services["postgres"]["environment"]["POSTGRES_DB"]
    assert database.username == services["postgres"]["environment"]["POSTGRES_USER"]

    redis = urllib.parse.urlsplit(environment["REDIS_URL"])
    assert redis.scheme == "redis"
    assert redis.hostname == "redis" and (redis.port or 6379) == 6379

    # A broker URL, if set, must not send Celery elsewhere than the compose Redis.
    if "CELERY_BROKER_URL" in environment:
        assert urllib.parse.urlsplit(environment["CELERY_BROKER_URL"]).hostname == "redis"


def test_the_database_password_is_the_one_postgres_is_created_with(services):
    password = services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${POSTGRES_PASSWORD")
    for name in APP_SERVICES:
        assert password in services[name]["environment"]["DATABASE_URL"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_start_after_healthy_servers_and_migrations(services, name):
    depends_on = _depends_on(services[name])
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    migrated_before = depends_on.get("migrate", {}).get("condition") == (
        "service_completed_successfully"
    )
    assert migrated_before or "migrate" in " ".join(_command(services[name]))


def test_the_migrate_service_applies_migrations_once(services):
    if "migrate" not in services:
        pytest.skip("migrations run in the web command")
    migrate = services["migrate"]
    assert _command(migrate)[-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate.get("restart", "no") == "no"
    assert "migrate" not in _depends_on(migrate)


def test_postgres_and_redis_have_healthchecks(services):
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_postgres_keeps_its_data_in_a_named_volume(compose, services):
    volumes = services["postgres"]["volumes"]
    data = [v for v in volumes if v.endswith(":/var/lib/postgresql/data")]
    assert data
    assert data[0].split(":")[0] in compose["volumes"]


def _web_healthcheck_code(services) -> str:
    test = services["web"]["healthcheck"]["test"]
    assert test[0] == "CMD", "the slim image: exec form, python, no curl"
    assert test[1] == "python" and test[2] == "-c"
    return test[3]


def test_the_web_healthcheck_asks_healthz_which_django_serves(services, monkeypatch):
    code = _web_healthcheck_code(services)
    assert "$" not in code, "compose would substitute it"
    compile(code, "healthcheck", "exec")
    assert resolve("/healthz").url_name == "healthz"

    requests = []
    monkeypatch.setenv("SITE_URL", "https://komdir.example")
    monkeypatch.setattr(urllib.request, "urlopen", lambda req, **kw: requests.append(req))
    exec(code, {})  # noqa: S102 - our own healthcheck, checked for what it requests
    (request,) = requests
    assert urllib.parse.urlsplit(request.full_url).path == "/healthz"
    assert urllib.parse.urlsplit(request.full_url).port == 8000
    assert request.get_header("Host") == "komdir.example"


@pytest.mark.django_db
def test_the_web_healthcheck_is_neither_rejected_nor_redirected(client, settings):
    """The probe's Host is SITE_URL's host, and /healthz is exempt from the HTTPS redirect."""
    settings.ALLOWED_HOSTS = ["komdir.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = _production_settings()["SECURE_REDIRECT_EXEMPT"]
    response = client.get("/healthz", HTTP_HOST="komdir.example")
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"


def test_web_publishes_its_port_on_the_loopback_interface_only(services):
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    for name in ("postgres", "redis", "worker", "beat"):
        assert not services[name].get("ports"), f"{name} must not be published"


# --- .env.example ----------------------------------------------------------------------


def test_every_setting_read_from_the_environment_is_documented():
    missing = _settings_variables() - _documented_variables()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_documented_variable_is_used():
    used = _settings_variables() | _compose_variables() | _gunicorn_variables()
    unused = _documented_variables() - used
    assert not unused, f"not read by settings, compose or gunicorn: {sorted(unused)}"


def test_the_readme_documents_every_variable():
    readme = README.read_text(encoding="utf-8")
    missing = {name for name in _documented_variables() if f"`{name}`" not in readme}
    assert not missing, f"add to the README's table: {sorted(missing)}"


# --- Dockerfile, .dockerignore, gunicorn.conf.py -------------------------------------------


def test_the_dockerfile_builds_assets_and_runs_gunicorn_unprivileged():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    stages = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert stages[0].startswith("node:20")
    assert stages[-1].startswith("python:3.11-slim")
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    assert re.search(r"^COPY --from=\w+ \S*static/vendor", dockerfile, flags=re.MULTILINE)
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile

    collectstatic = [line for line in dockerfile.splitlines() if "collectstatic" in line]
    assert collectstatic and "SECRET_KEY=build-only" in collectstatic[0]
    assert not re.search(r"^(ENV|ARG)\b.*SECRET_KEY", dockerfile, flags=re.MULTILINE)

    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^EXPOSE 8000$", dockerfile, flags=re.MULTILINE)

    cmd = re.findall(r"^CMD\s+(.+)$", dockerfile, flags=re.MULTILINE)[-1]
    assert json.loads(cmd) == [
        "gunicorn",
        "--config",
        "gunicorn.conf.py",
        "komdir.wsgi:application",
    ]


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".git", ".venv", "node_modules", "var", "static/vendor"} <= ignored


def test_the_gunicorn_config_is_valid(monkeypatch):
    from gunicorn.config import Config

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    values = runpy.run_path(str(GUNICORN_CONF))
    assert values["bind"] == "0.0.0.0:8000"
    assert values["worker_tmp_dir"] == "/dev/shm"
    assert values["accesslog"] == "-"
    assert 1 <= values["workers"] <= 8

    config = Config()
    for name, value in values.items():
        if name.startswith("_") or callable(value) or type(value).__name__ == "module":
            continue
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)
    assert config.worker_class_str == ("gthread" if config.threads > 1 else "sync")


def test_gunicorn_takes_workers_and_threads_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    values = runpy.run_path(str(GUNICORN_CONF))
    assert (values["workers"], values["threads"]) == (3, 4)
    assert values["forwarded_allow_ips"] == "*"


# --- production settings ---------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output


_PRODUCTION_PROBE = """
import json
from django.conf import settings
policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "PASSWORD_HASHERS": settings.PASSWORD_HASHERS,
    "SESSION_COOKIE_NAME": settings.SESSION_COOKIE_NAME,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_REDIRECT_EXEMPT": settings.SECURE_REDIRECT_EXEMPT,
    "SCRIPT_SRC": [str(source) for source in policy.get("script-src", policy["default-src"])],
}))
"""


@functools.cache
def _production_settings() -> dict:
    result = _manage("shell", "-v", "0", "-c", _PRODUCTION_PROBE)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_hardened():
    values = _production_settings()
    assert values["DEBUG"] is False
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert "'unsafe-inline'" not in values["SCRIPT_SRC"]
    assert values["SCRIPT_SRC"]


def test_production_logs_are_one_json_object_per_line():
    result = _manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('komdir.audit').warning('invitation %s', 'sendt')",
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "komdir.audit" in line]
    assert len(lines) == 1, result.stderr
    record = json.loads(lines[0])
    assert record["level"] == "WARNING"
    assert record["logger"] == "komdir.audit"
    assert record["message"] == "invitation sendt"
    assert "time" in record


def test_error_reporting_is_off_unless_a_dsn_is_given():
    result = _manage("shell", "-c", "import sentry_sdk; print(sentry_sdk.is_initialized())")
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_the_access_log_never_shows_an_invitation_or_calendar_token():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from komdir.gunicorn_logging import RedactingLogger

    values = runpy.run_path(str(GUNICORN_CONF))
    assert values["logger_class"] == "komdir.gunicorn_logging.RedactingLogger"
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/invitation/s3cr3t-t0ken/?x=1",
        "PATH_INFO": "/invitation/s3cr3t-t0ken/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://komdir.example/kalender/feed-t0ken.ics",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(
        SimpleNamespace(status="200 OK", sent=10, headers=[]),
        request,
        environ,
        timedelta(seconds=0),
    )
    logged = " ".join(str(value) for value in atoms.values())
    assert "s3cr3t-t0ken" not in logged and "feed-t0ken" not in logged
    assert "/invitation/[redacted]/" in atoms["r"]


def test_the_production_image_installs_no_test_tools():
    """Settings treat an imported pytest as a test run: production must not have it."""
    production = (ROOT / "requirements.lock").read_text()
    development = (ROOT / "requirements-dev.lock").read_text()
    for tool in ("pytest==", "pytest-django==", "playwright==", "hypothesis=="):
        assert f"\n{tool}" not in production
        assert f"\n{tool}" in development
    pins = {line.split("==")[0] for line in production.splitlines() if "==" in line}
    for line in development.splitlines():
        if "==" in line and line.split("==")[0] in pins:
            assert line in production.splitlines(), f"{line} differs between the lock files"


def test_mail_links_point_where_make_run_serves():
    import subprocess
    import sys

    makefile = (ROOT / "Makefile").read_text()
    assert "HOST ?= 127.0.0.1" in makefile and "PORT ?= 8000" in makefile
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"DEBUG": "1"}
    printed = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env=env | {"DJANGO_SETTINGS_MODULE": "komdir.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()
    assert printed == "http://127.0.0.1:8000"

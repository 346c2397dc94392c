"""Security headers on every page, and a static security scan of the code."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import login
from tests.members.factories import BoardMemberFactory

ROOT = Path(__file__).resolve().parent.parent


def parameterless_routes(patterns=None, prefix=""):
    """Every route without parameters, as a path, outside the admin."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from parameterless_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(" not in route:
            yield "/" + route.lstrip("^").rstrip("$")


ROUTES = sorted(set(parameterless_routes()))


def assert_security_headers(response, path: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert "script-src" in directives or "default-src" in directives, path
    script_src = directives.get("script-src", directives.get("default-src", ""))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, path
    assert directives.get("frame-ancestors") == "'none'", path
    assert response.headers.get("Strict-Transport-Security", "").startswith("max-age="), path
    assert response.headers.get("Referrer-Policy") == "same-origin", path
    assert response.headers.get("X-Frame-Options") == "DENY", path
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ROUTES)
def test_every_page_sends_the_security_headers_to_visitors_and_board(client, path):
    for who in ("visitor", "board"):
        client.logout()
        if who == "board":
            login(client, BoardMemberFactory(), mfa=True)
        response = client.get(path, secure=True)
        assert response.status_code < 500, (who, path)
        if response.headers.get("Content-Type", "").startswith("text/html"):
            assert_security_headers(response, f"{who} {path}")
        else:
            assert response.headers.get("X-Content-Type-Options") == "nosniff", (who, path)


@pytest.mark.django_db
def test_a_member_page_and_the_login_send_the_headers(client, member):
    assert_security_headers(client.get(reverse("account_login"), secure=True), "login")
    login(client, member)
    assert_security_headers(client.get(reverse("members:directory"), secure=True), "directory")


def test_bandit_finds_no_medium_or_high_issue():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-q",
            "-r",
            "-ll",
            "-x",
            "*/migrations/*",
            "komdir",
            "members",
            "circles",
            "focusareas",
            "events",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

"""Backup and restore as the README documents them: pg_dump -Fc, then pg_restore --clean
--if-exists --no-owner into a database that already holds other data."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not shutil.which("pg_dump"),
    reason="SKIPPED: the backup round trip needs PostgreSQL (DATABASE_URL) and pg_dump",
)


def server_args() -> list[str]:
    url = urlparse(DATABASE_URL)
    args = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    return [*args, "-U", url.username] if url.username else args


def database_url(name: str) -> str:
    return urlparse(DATABASE_URL)._replace(path=f"/{name}").geturl()


def manage(database: str, *args: str) -> str:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}},
        "DATABASE_URL": database_url(database),
        "DEBUG": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return result.stdout


COUNT_ROWS = (
    "from members.models import Member; from circles.models import CircleMembership; "
    "print(Member.objects.count(), CircleMembership.objects.count(), "
    "sorted(Member.objects.values_list('email', flat=True))[:3])"
)


@pytest.fixture
def databases():
    names = [f"komdir_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        subprocess.run(["createdb", *server_args(), name], check=True)
    yield names
    for name in names:
        subprocess.run(["dropdb", "--if-exists", *server_args(), name], check=False)


def test_a_backup_restores_into_a_database_with_other_data(databases, tmp_path):
    source, target = databases
    manage(source, "migrate", "--noinput")
    manage(source, "seed_demo", "--scale", "1")
    before = manage(source, "shell", "-c", COUNT_ROWS).strip().splitlines()[-1]

    dump = tmp_path / "komdir.dump"
    with dump.open("wb") as out:
        subprocess.run(["pg_dump", *server_args(), "-d", source, "-Fc"], stdout=out, check=True)
    assert dump.stat().st_size > 10_000

    # The target already has the schema and different rows, as a live portal would.
    manage(target, "migrate", "--noinput")
    manage(
        target,
        "shell",
        "-c",
        "from members.models import Member; Member.objects.create_user('stale@x.example')",
    )
    with dump.open("rb") as backup:
        subprocess.run(
            ["pg_restore", *server_args(), "-d", target, "--clean", "--if-exists", "--no-owner"],
            stdin=backup,
            check=True,
            capture_output=True,
        )
    after = manage(target, "shell", "-c", COUNT_ROWS).strip().splitlines()[-1]
    assert after == before
    assert "stale@x.example" not in manage(
        target,
        "shell",
        "-c",
        "from members.models import Member; print(list(Member.objects.values('email')))",
    )
    manage(target, "migrate", "--check")

"""Checks that keep the codebase honest: lint, import layers, migrations, translations."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
DANISH_PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def lint_imports() -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_app_imports_only_what_stands_below_it():
    """The layers contract in pyproject.toml: komdir > documents > events > focusareas >
    circles > members > core."""
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts with msgid, msgstr (joined) and flags."""
    entries, current, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, field = None, None
            continue
        current = current or {"msgid": "", "msgid_plural": "", "msgstr": [], "flags": ""}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            current[field] = eval(line[len("msgid_plural ") :])  # noqa: S307 - a .po string literal
        elif line.startswith("msgid "):
            field = "msgid"
            current[field] = eval(line[len("msgid ") :])  # noqa: S307
        elif line.startswith("msgstr"):
            field = "msgstr"
            current["msgstr"].append(eval(line.split(" ", 1)[1]))  # noqa: S307
        elif line.startswith('"') and field:
            if field == "msgstr":
                current["msgstr"][-1] += eval(line)  # noqa: S307
            else:
                current[field] += eval(line)  # noqa: S307
    if current:
        entries.append(current)
    return [e for e in entries if e["msgid"]]


def test_the_danish_catalog_is_complete_and_has_no_fuzzy_entries():
    entries = parse_po(DANISH_PO)
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_danish_catalog_covers_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the project finds no msgid the committed catalog lacks."""
    for name in (
        "manage.py",
        "komdir",
        "core",
        "members",
        "circles",
        "focusareas",
        "events",
        "documents",
        "assemblies",
        "templates",
        "locale",
    ):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy2
        copy(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    committed = {e["msgid"] for e in parse_po(DANISH_PO)}
    fresh = {e["msgid"] for e in parse_po(tmp_path / DANISH_PO.relative_to(ROOT))}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"


def test_the_compiled_catalog_matches_the_po_file():
    with DANISH_PO.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in parse_po(DANISH_PO):
        if entry["msgid_plural"]:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr"][0]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]

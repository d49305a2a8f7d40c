"""The English interface is whole. A text marked for translation without an English entry, or
with a fuzzy one (makemessages' guess from a similar text, which gettext never uses), shows in
Indonesian on an English page; a catalogue compiled before its last edit serves the old
English. Both happened (the review dashboard's "rev.", "tepat waktu" and "bersih").

The catalogue is made again as a developer would (`makemessages -l en`), in a copy of the
sources, so that the checkout is never written to."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/en/LC_MESSAGES")
# What makemessages reads: the apps, the templates, the settings package (and the catalogue).
SOURCES = ["manage.py", "pk_portal", "organisations", "indicators", "agreements",
           "submissions", "monitoring", "templates", "locale"]  # fmt: skip


def entries(po: Path, *selection: str) -> list[str]:
    """The msgids of `po` that msgattrib selects (e.g. --untranslated), header left out."""
    found = subprocess.run(
        ["msgattrib", *selection, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [
        line.removeprefix("msgid ").strip('"')
        for line in found.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("sources")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            shutil.copy2(source, copy / name)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pk_portal.settings"}
    environment.pop("DATABASE_URL", None)  # makemessages needs no database
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v0"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    return copy / CATALOGUE / "django.po"


def test_every_text_marked_for_translation_has_its_english(fresh_catalogue):
    assert entries(fresh_catalogue, "--untranslated") == []


def test_no_english_is_a_fuzzy_guess(fresh_catalogue):
    assert entries(fresh_catalogue, "--only-fuzzy") == []


def test_the_compiled_catalogue_is_the_one_the_po_file_says(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(ROOT / CATALOGUE / "django.po")],
        check=True,
    )
    with compiled.open("rb") as fresh, (ROOT / CATALOGUE / "django.mo").open("rb") as committed:
        assert (
            gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog
        )

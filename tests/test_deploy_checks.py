"""The deployment checks of config/checks.py, in-process."""

import json

from config import checks
from config.checks import PAGE_ASSETS

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def _production(settings, static_root):
    settings.DEBUG = False
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


def _manifest(static_root, assets):
    paths = {asset: asset for asset in assets}
    (static_root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))


def test_it_fails_when_debug_is_off_and_there_is_no_manifest(settings, tmp_path):
    _production(settings, tmp_path)
    errors = checks.check_static_manifest()
    assert [error.id for error in errors] == ["config.E001"]
    assert "collectstatic" in errors[0].hint


def test_it_names_the_page_assets_the_manifest_lacks(settings, tmp_path):
    _production(settings, tmp_path)
    _manifest(tmp_path, [asset for asset in PAGE_ASSETS if "htmx" not in asset])
    errors = checks.check_static_manifest()
    assert [error.id for error in errors] == ["config.E001"]
    assert "vendor/htmx/htmx.min.js" in errors[0].msg


def test_it_passes_with_a_complete_manifest(settings, tmp_path):
    _production(settings, tmp_path)
    _manifest(tmp_path, PAGE_ASSETS)
    assert checks.check_static_manifest() == []


def test_debug_needs_no_manifest(settings, tmp_path):
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path
    assert checks.check_static_manifest() == []


def test_it_refuses_the_development_secret_key(settings):
    settings.SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
    assert [error.id for error in checks.check_secret_key()] == ["config.E002"]


def test_it_refuses_a_short_secret_key(settings):
    settings.SECRET_KEY = "short-but-not-insecure"
    assert [error.id for error in checks.check_secret_key()] == ["config.E002"]


def test_a_long_random_secret_key_passes(settings):
    settings.SECRET_KEY = "a-long-random-production-secret-key-0123456789-abcdefghijklmnop"
    assert checks.check_secret_key() == []

"""Deployment checks (`manage.py check --deploy`; issue 12). Django's own
deploy checks only warn; these refuse a configuration that cannot serve a
page or that signs sessions with a key everybody has. The document renderer's
checks (fonts, the HarfBuzz subsetter) are in documents/checks.py."""

import json

from django.conf import settings
from django.core.checks import Error, Tags, register

# The files every page links (templates/base.html): a manifest without them
# answers 500 on every page with DEBUG off.
PAGE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
)
DEVELOPMENT_KEY_PREFIXES = ("django-insecure",)


def missing_static_assets() -> list[str] | None:
    """The page assets the static manifest lacks; None when there is no
    manifest at all (or the storage keeps none)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    if not hasattr(staticfiles_storage, "read_manifest"):
        return []
    content = staticfiles_storage.read_manifest()
    if content is None:
        return None
    try:
        paths = json.loads(content).get("paths", {})
    except (ValueError, AttributeError):
        paths = {}
    return [asset for asset in PAGE_ASSETS if asset not in paths]


@register(Tags.security, deploy=True)
def check_static_manifest(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    missing = missing_static_assets()
    if missing is None:
        return [
            Error(
                f"DEBUG is off and there is no static files manifest in {settings.STATIC_ROOT}: "
                "every page would answer 500.",
                hint="Run `manage.py collectstatic --no-input` with DEBUG=false (the Dockerfile "
                "does) and point STATIC_ROOT at its output.",
                id="config.E001",
            )
        ]
    if missing:
        return [
            Error(
                "The static files manifest lacks files every page links: " + ", ".join(missing),
                hint="Run scripts/vendor_static.sh (or scripts/bootstrap.sh), then collectstatic.",
                id="config.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[Error]:
    key = str(settings.SECRET_KEY)
    development = key.startswith(DEVELOPMENT_KEY_PREFIXES)
    weak = len(key) < 50 or len(set(key)) < 5
    if development or weak:
        return [
            Error(
                "SECRET_KEY is a development or weak key: sessions, password resets and "
                "signed values could be forged.",
                hint="Set SECRET_KEY to at least 50 random characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="config.E002",
            )
        ]
    return []

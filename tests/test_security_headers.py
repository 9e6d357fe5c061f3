"""Content-Security-Policy, Permissions-Policy and no-store caching, and the
templates kept free of inline script and style (issue 13)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Print layouts rendered by WeasyPrint, never served as pages.
PRINT_LAYOUTS = TEMPLATES / "documents"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=|\shx-on[:-]|javascript:", re.IGNORECASE)


def csp_directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_the_login_page_carries_a_strict_csp_and_a_permissions_policy(client):
    response = client.get("/accounts/login/")
    directives = csp_directives(response)
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_an_authenticated_page_is_not_stored_by_the_browser(client, unit):
    inspector = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    case = CaseFactory(unit=unit, created_by=inspector)
    client.force_login(inspector)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_an_anonymous_page_may_be_cached_normally(client):
    assert client.get("/accounts/login/").headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize(
    "path", sorted(p for p in TEMPLATES.rglob("*.html") if PRINT_LAYOUTS not in p.parents)
)
def test_no_page_template_has_inline_script_style_or_handlers(path):
    source = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(source), "inline <script>"
    assert not INLINE_STYLE.search(source), "inline style"
    assert not INLINE_HANDLER.search(source), "inline event handler"


def test_the_rendered_case_page_has_no_inline_script_or_style(client, unit):
    case = CaseFactory(unit=unit)
    client.force_login(UserFactory(units=[unit], roles=[Role.INSPECTOR]))
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not INLINE_HANDLER.search(html)


def test_htmx_is_told_not_to_inject_styles_or_eval(client):
    html = client.get("/accounts/login/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


def test_the_language_changes_only_on_an_explicit_action(client):
    html = client.get("/accounts/login/").content.decode()
    switch = html[html.index('id="language-switch"') :]
    switch = switch[: switch.index("</form>")]
    assert "onchange" not in switch
    assert 'type="submit"' in switch

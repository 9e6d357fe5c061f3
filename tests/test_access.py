"""Deny by default: every URL pattern needs a login, except the few that are
public on purpose."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_URL_NAMES = {"login", "set_language"}
# The public notices: open without login on purpose (tests/reviews/test_public_page.py).
PUBLIC_PREFIX = "public/"


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _example_path(route: str) -> str:
    path = route
    for converter, example in (("<int:", "1"), ("<str:", "x"), ("<slug:", "x"), ("<path:", "x")):
        while converter in path:
            start = path.index(converter)
            path = path[:start] + example + path[path.index(">", start) + 1 :]
    # Regex patterns from the admin: replace groups with a plain value.
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    for token in ("(?P<app_label>auth|accounts|cases|documents)", "(?P<url>.*)"):
        path = path.replace(token, "x")
    return "/" + path


ALL_ROUTES = [
    (route, pattern)
    for route, pattern in _walk(get_resolver().url_patterns)
    if pattern.name not in PUBLIC_URL_NAMES and not route.startswith(("admin/", PUBLIC_PREFIX))
]


@pytest.mark.django_db
@pytest.mark.parametrize("route, pattern", ALL_ROUTES, ids=[r for r, _ in ALL_ROUTES])
def test_anonymous_users_are_sent_to_login(client, route, pattern):
    response = client.get(_example_path(route))
    assert response.status_code == 302, route
    assert response.url.startswith("/accounts/login/"), route


@pytest.mark.django_db
def test_the_admin_requires_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response.url


@pytest.mark.django_db
def test_the_login_page_is_public_and_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_some_routes_are_walked():
    assert len(ALL_ROUTES) >= 5

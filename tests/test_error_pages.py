"""The 400, 403, 404 and 500 pages: their status, the reader's language, the
navigation, and no technical page in the demo's configuration (DEBUG on)."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client
from django.urls import path

from cases import errors as cases_errors
from config import urls as project_urls

pytestmark = pytest.mark.django_db

TECHNICAL_404 = "Using the URLconf defined in"
TECHNICAL_500 = "Traceback"


def _raise_404(request):
    raise Http404("没有这个案件。")


def _raise_403(request):
    raise PermissionDenied(cases_errors.MAY_NOT_ACT)  # lazy, as the services raise it


def _raise_400(request):
    raise SuspiciousOperation("bad")


def _raise_500(request):
    raise RuntimeError("boom")


# This module is the URLconf of its tests: the project's, plus views that fail.
urlpatterns = [
    *project_urls.urlpatterns,
    path("test-errors/404/", _raise_404),
    path("test-errors/403/", _raise_403),
    path("test-errors/400/", _raise_400),
    path("test-errors/500/", _raise_500),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def signed_in(inspector):
    client = Client(raise_request_exception=False)
    client.force_login(inspector)
    return client


def _in_english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("url", "status", "chinese", "english"),
    [
        ("/test-errors/400/", 400, "请求有误", "Bad request"),
        ("/test-errors/403/", 403, "无权访问", "Access denied"),
        ("/test-errors/404/", 404, "页面不存在", "Page not found"),
        ("/no-such-page/", 404, "页面不存在", "Page not found"),
    ],
)
def test_each_page_has_its_status_the_navigation_and_both_languages(
    signed_in, url, status, chinese, english
):
    response = signed_in.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert f'data-status="{status}"' in html
    assert chinese in html
    assert 'data-testid="nav-tasks"' in html  # the navigation bar of a signed-in user
    assert 'data-testid="language-submit"' in html

    response = _in_english(signed_in).get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert english in html and chinese not in html
    assert f"Error {status}" in html


def test_the_403_shows_the_refusal_given(signed_in):
    response = signed_in.get("/test-errors/403/")
    assert 'data-testid="error-reason"' in response.content.decode()
    assert str(cases_errors.MAY_NOT_ACT) in response.content.decode()


def test_the_500_page_is_static_and_needs_no_database(signed_in, django_assert_num_queries):
    from config.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in html and 'data-status="500"' in html
    assert 'href="/"' in html  # the way back, without the request's context


def test_the_500_page_in_english(signed_in):
    response = _in_english(signed_in).get("/test-errors/500/")
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [("/no-such-page/", 404), ("/test-errors/404/", 404), ("/test-errors/400/", 400)],
)
def test_the_demo_with_debug_on_shows_the_pages_not_the_technical_ones(
    settings, inspector, url, status
):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)  # its handler loads the middleware now
    client.force_login(inspector)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert f'data-status="{status}"' in html
    assert TECHNICAL_404 not in html
    assert "test-errors/500/" not in html  # no list of the URL patterns


def test_the_demo_with_debug_on_shows_the_500_page(settings, inspector):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(inspector)
    response = client.get("/test-errors/500/")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'data-status="500"' in html and TECHNICAL_500 not in html


def test_a_developer_can_have_the_technical_404_back(settings, inspector):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    client = Client(raise_request_exception=False)
    client.force_login(inspector)
    assert TECHNICAL_404 in client.get("/no-such-page/").content.decode()


def test_an_unknown_address_while_signed_out_is_a_404_with_a_way_to_sign_in():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/accounts/login/"' in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_403_page(inspector):
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector)
    response = client.post("/notifications/read/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-status="403"' in html and "页面已过期" in html

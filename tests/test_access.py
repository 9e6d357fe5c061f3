"""Deny by default: every URL pattern needs a login, except the few that are
public on purpose."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import built_once_per_module, for_one_test

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


# --- the role × URL walk against the access matrix (docs/access.md) ------------------------
# One filed Tai'an case with a panel, a meeting, documents and a filing package;
# every role of docs/access.md opens every case route (GET and POST). Those the
# matrix gives no read of the case are refused everywhere (403/404/405), see
# no trace of it in the lists, and change nothing; its participants read it.
# Need-to-know: an inspector who did not register it, an investigator not
# assigned to it and the chair of a unit below are refused like outsiders.

CASE_PREFIXES = ("cases/<int:pk>/", "vindication/cases/<int:pk>/", "filings/<int:package_id>/")
CASE_ROUTES = [(route, pattern) for route, pattern in ALL_ROUTES if route.startswith(CASE_PREFIXES)]
LIST_ROUTES = ["/cases/", "/cases/tasks/", "/overview/", "/vindication/", "/filings/"]
REFUSED = {403, 404, 405}

# What the matrix lets a role that does not read the case open (by URL name).
ALLOWED_WITHOUT_READING = {
    # The liaison reads the case only through the filed package (its inbox,
    # and the acknowledgement waiting in the task list).
    "liaison": {"download", "receipt", "verify", "acknowledge", "/cases/tasks/", "/filings/"},
}


def _build_world():
    from accounts.roles import Role
    from cases.workflow import CaseState
    from tests import flows
    from tests.factories import UnitFactory, UserFactory, current_regulation

    for code in ("taian", "lianyungang"):
        current_regulation(code)
    unit = UnitFactory(name="泰安市市场监督管理局", abbreviation="泰市监")
    flow = flows.taian_case_at(CaseState.FILED, unit=unit)
    case = flow.reload()
    other_unit = UnitFactory(jurisdiction="lianyungang")
    panel_expert = case.expert_panel.members.first()
    people = {
        # Participants: they read the case.
        "inspector": flow.staff.inspector,
        "investigator": flow.staff.investigator,
        "leader": flow.staff.leaders[0],
        "chair": flow.staff.chair,
        "panel_expert": panel_expert,
        "case_supervisor": UserFactory(units=[unit], roles=[Role.CASE_SUPERVISOR]),
        # Everyone else: colleagues of the unit who take no part in the case too.
        "unit_inspector": UserFactory(units=[unit], roles=[Role.INSPECTOR]),
        "unit_investigator": UserFactory(units=[unit], roles=[Role.INVESTIGATOR]),
        "sub_unit_chair": UserFactory(
            units=[UnitFactory(parent=unit, kind="county_bureau", level="county")],
            roles=[Role.LEADERSHIP_CHAIR],
        ),
        "expert_off_panel": UserFactory(units=[unit], roles=[Role.EXPERT]),
        "liaison": UserFactory(
            units=[unit],
            roles=[Role.DISCIPLINE_LIAISON],
            discipline_body=unit.discipline_body,
        ),
        "personnel": UserFactory(units=[unit], roles=[Role.PERSONNEL]),
        "other_unit_inspector": UserFactory(units=[other_unit], roles=[Role.INSPECTOR]),
        "other_unit_chair": UserFactory(units=[other_unit], roles=[Role.LEADERSHIP_CHAIR]),
        "other_unit_supervisor": UserFactory(units=[other_unit], roles=[Role.CASE_SUPERVISOR]),
        "system_administrator": UserFactory(
            units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True
        ),
        "security_administrator": UserFactory(
            units=[unit], roles=[Role.SECURITY_ADMINISTRATOR], is_staff=True
        ),
        "audit_administrator": UserFactory(
            units=[unit], roles=[Role.AUDIT_ADMINISTRATOR], is_staff=True
        ),
        "superuser": UserFactory(units=[unit], is_staff=True, is_superuser=True),
        "superuser_administrator": UserFactory(
            units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True
        ),
    }
    meeting = case.meetings.first()
    ids = {
        "pk": case.pk,
        "package_id": case.filing_packages.first().pk,
        "evidence_id": getattr(case.evidence.first(), "pk", 1),
        "document_id": getattr(case.documents.first(), "pk", 1),
        "disputed_id": getattr(case.expert_panel.disputed.first(), "pk", 1),
        "member_id": meeting.members.first().pk,
        "subject_officer_id": flow.officer.pk,
        "determination_id": case.determinations.first().pk,
        "meeting_id": meeting.pk,
    }
    return case, people, ids


# Built once per test process: some twenty tests read it.
_world_built = built_once_per_module(_build_world)


@pytest.fixture
def world(_world_built, settings):
    """A filed Tai'an case, its participants and everyone else who must not
    read it, and the ids its routes take."""
    return for_one_test(_world_built, settings)


def _case_path(route: str, ids: dict) -> str:
    import re

    path = re.sub(r"<int:(\w+)>", lambda m: str(ids.get(m.group(1), 1)), route)
    path = path.replace("<str:name>", "file").replace("<str:stage>", "investigation")
    return "/" + path


READERS = ["inspector", "investigator", "leader", "chair", "panel_expert", "case_supervisor"]
NON_READERS = [
    "unit_inspector",
    "unit_investigator",
    "sub_unit_chair",
    "expert_off_panel",
    "liaison",
    "personnel",
    "other_unit_inspector",
    "other_unit_chair",
    "other_unit_supervisor",
    "system_administrator",
    "security_administrator",
    "audit_administrator",
    "superuser",
    "superuser_administrator",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_READERS)
def test_a_role_without_a_read_of_the_case_is_refused_on_every_case_route(client, world, role):
    from audit.models import AuditEvent

    case, people, ids = world
    client.force_login(people[role])
    allowed = ALLOWED_WITHOUT_READING.get(role, set())
    before = AuditEvent.objects.count()
    for route, pattern in CASE_ROUTES:
        if pattern.name in allowed and route.startswith("filings/"):
            continue
        path = _case_path(route, ids)
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            assert status in REFUSED, f"{role} {method.upper()} {path}: {status}"
    assert AuditEvent.objects.count() == before
    for path in LIST_ROUTES:
        if path in allowed:
            continue
        response = client.get(path)
        assert case.number not in response.content.decode(), f"{role} sees the case in {path}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_a_participant_reads_the_case(client, world, role):
    case, people, ids = world
    client.force_login(people[role])
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert case.number in client.get("/cases/").content.decode()


@pytest.mark.django_db
def test_a_refusal_loads_nothing_of_the_case_beyond_what_decides_it(client, world):
    """Who may see a case is decided on the case's own row; its officers,
    facts, evidence and documents are loaded only for someone who may."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, people, _ = world
    detail_tables = ("cases_subjectofficer", "cases_factrecord", "documents_document")
    client.force_login(people["unit_inspector"])
    with CaptureQueriesContext(connection) as refused:
        assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert not [q for q in refused.captured_queries if any(t in q["sql"] for t in detail_tables)]
    client.force_login(people["inspector"])
    with CaptureQueriesContext(connection) as granted:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    sql = " ".join(q["sql"] for q in granted.captured_queries)
    assert all(table in sql for table in detail_tables)


@pytest.mark.django_db
def test_the_liaison_reads_the_case_through_the_filed_package_only(client, world):
    case, people, ids = world
    client.force_login(people["liaison"])
    assert client.get(f"/filings/{ids['package_id']}/download/").status_code == 200
    assert client.get(f"/cases/{case.pk}/").status_code in REFUSED


def test_the_walk_covers_the_case_routes():
    assert len(CASE_ROUTES) >= 30

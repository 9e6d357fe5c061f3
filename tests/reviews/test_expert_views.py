from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.roles import Role
from panel import errors as panel_errors
from panel.models import ExpertOpinion, ExpertPanel
from panel.services import opinion_record
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import UserFactory
from tests.flows import unit_for
from tests.reviews.conftest import Stages, review_people

pytestmark = pytest.mark.django_db


def _cases_in_expert_review():
    # The unit and people of the fixtures (tests/conftest.py,
    # tests/reviews/conftest.py), made once for the module with the two cases
    # its tests start from: one in expert review, one with its panel set up.
    unit = unit_for("taian", name="泰安市市场监督管理局", abbreviation="泰市监")
    inspector = UserFactory(
        username="inspector", display_name="王承办", units=[unit], roles=[Role.INSPECTOR]
    )
    people = review_people(unit, inspector)
    stages = Stages(people, unit)
    return SimpleNamespace(
        unit=unit,
        people=people,
        in_review=stages.expert_review(),
        with_panel=stages.with_panel(stages.expert_review()),
    )


_built = built_once_per_module(_cases_in_expert_review)


@pytest.fixture
def built(_built, settings):
    return for_one_test(_built, settings)


# The shared unit and people stand in for the conftest's, so that `stages`
# (and the cases a test builds itself) use them too.
@pytest.fixture
def unit(built):
    return built.unit


@pytest.fixture
def people(built):
    return built.people


@pytest.fixture
def in_review(built):
    """A case in expert review, no panel set up."""
    return built.in_review


@pytest.fixture
def with_panel(built):
    """A case in expert review, its panel set up, no opinion given."""
    return built.with_panel


def _url(case, name="expert", *args):
    return reverse(f"panel:{name}", args=[case.pk, *args])


def _set_up_data(case, experts, disputed=None):
    so = case.subject_officers.get()
    return {
        "panel-members": [e.pk for e in experts],
        "panel-question": "张执法是否已依法履行检查职责？",
        "panel-disputed": disputed if disputed is not None else [f"{so.pk}/6.4"],
    }


def _opinion(disputed, position="agree", reasoning="按计划检查，问题不在检查范围内。"):
    prefix = f"opinion-{disputed.pk}"
    return {f"{prefix}-position": position, f"{prefix}-reasoning": reasoning}


def _all_opinions(people, disputed, positions=("agree", "agree", "disagree")):
    for expert, position in zip(people.experts, positions, strict=True):
        opinion_record(actor=expert, disputed_clause=disputed, position=position, reasoning="意见")


def test_it_shows_the_set_up_form_in_expert_review(client, people, in_review):
    case = in_review
    client.force_login(people.inspector)
    response = client.get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "组织专家组" in page
    assert "欧阳专家" in page
    assert f"{case.subject_officers.get().pk}/6.4" in page


def test_it_sets_up_the_panel(client, people, in_review):
    case = in_review
    client.force_login(people.inspector)
    response = client.post(_url(case), _set_up_data(case, people.experts), follow=True)
    assert "已组织专家组。" in response.content.decode()
    panel = ExpertPanel.objects.get(case=case)
    assert set(panel.members.all()) == set(people.experts)
    assert [d.clause_ref for d in panel.disputed.all()] == ["6.4"]


def test_it_shows_a_panel_of_two_refused_next_to_the_members(client, people, in_review):
    case = in_review
    client.force_login(people.inspector)
    response = client.post(_url(case), _set_up_data(case, people.experts[:2]))
    assert response.status_code == 200
    assert response.context["setup_form"].errors["members"] == [str(panel_errors.PANEL_SIZE)]
    assert not ExpertPanel.objects.filter(case=case).exists()


def test_it_refuses_the_set_up_to_an_expert(client, people, in_review):
    case = in_review
    client.force_login(people.experts[0])
    # Need-to-know: an expert reads no case before sitting on its panel.
    assert client.post(_url(case), _set_up_data(case, people.experts)).status_code == 404
    assert not ExpertPanel.objects.filter(case=case).exists()


def test_a_repeated_set_up_is_harmless(client, people, in_review):
    case = in_review
    client.force_login(people.inspector)
    client.post(_url(case), _set_up_data(case, people.experts))
    response = client.post(_url(case), _set_up_data(case, people.experts), follow=True)
    assert str(panel_errors.PANEL_ALREADY_SET_UP) in response.content.decode()
    assert ExpertPanel.objects.filter(case=case).count() == 1


def test_it_hides_the_case_from_another_unit(client, people, in_review, other_unit):
    case = in_review
    client.force_login(UserFactory(units=[other_unit], roles=[Role.EXPERT]))
    assert client.get(_url(case)).status_code == 404


def test_it_shows_every_members_opinion_and_the_current_experts_form(client, people, with_panel):
    case = with_panel
    disputed = ExpertPanel.objects.get(case=case).disputed.get()
    opinion_record(
        actor=people.experts[1],
        disputed_clause=disputed,
        position="disagree",
        reasoning="检查流于形式。",
    )
    client.force_login(people.experts[0])
    response = client.get(_url(case))
    page = response.content.decode()
    assert "检查流于形式。" in page and "不同意适用" in page
    assert page.count("尚未发表意见") == 2
    assert f'action="{_url(case, "expert_opinion", disputed.pk)}"' in page
    assert "出具书面论证意见" in page


def test_it_offers_no_opinion_form_to_the_inspector(client, people, with_panel):
    case = with_panel
    client.force_login(people.inspector)
    response = client.get(_url(case))
    assert all(line["form"] is None for line in response.context["disputed"])
    assert response.context["conclude_form"] is None


def test_an_expert_records_an_opinion(client, people, with_panel):
    case = with_panel
    disputed = ExpertPanel.objects.get(case=case).disputed.get()
    client.force_login(people.experts[0])
    response = client.post(
        _url(case, "expert_opinion", disputed.pk), _opinion(disputed), follow=True
    )
    assert f"已记录您对{disputed.subject_officer.officer.name}第六条第（四）项的意见。" in (
        response.content.decode()
    )
    opinion = ExpertOpinion.objects.get(disputed_clause=disputed)
    assert (opinion.member, opinion.position) == (people.experts[0], "agree")


def test_an_opinion_refuses_get(client, people, with_panel):
    case = with_panel
    disputed = ExpertPanel.objects.get(case=case).disputed.get()
    client.force_login(people.experts[0])
    assert client.get(_url(case, "expert_opinion", disputed.pk)).status_code == 405


def test_an_opinion_is_refused_to_an_expert_outside_the_panel(client, people, with_panel, unit):
    case = with_panel
    disputed = ExpertPanel.objects.get(case=case).disputed.get()
    client.force_login(UserFactory(units=[unit], roles=[Role.EXPERT]))
    assert (
        client.post(_url(case, "expert_opinion", disputed.pk), _opinion(disputed)).status_code
        == 404
    )
    client.force_login(people.leader)
    assert (
        client.post(_url(case, "expert_opinion", disputed.pk), _opinion(disputed)).status_code
        == 403
    )
    assert not ExpertOpinion.objects.filter(disputed_clause=disputed).exists()


def test_a_repeated_opinion_replaces_the_first(client, people, with_panel):
    case = with_panel
    disputed = ExpertPanel.objects.get(case=case).disputed.get()
    client.force_login(people.experts[0])
    client.post(_url(case, "expert_opinion", disputed.pk), _opinion(disputed))
    client.post(
        _url(case, "expert_opinion", disputed.pk), _opinion(disputed, "partly", "部分同意。")
    )
    opinion = ExpertOpinion.objects.get(disputed_clause=disputed)
    assert (opinion.position, opinion.reasoning) == ("partly", "部分同意。")


def test_an_opinion_without_reasoning_is_refused_next_to_the_field(client, people, with_panel):
    case = with_panel
    disputed = ExpertPanel.objects.get(case=case).disputed.get()
    client.force_login(people.experts[0])
    response = client.post(
        _url(case, "expert_opinion", disputed.pk), _opinion(disputed, reasoning="")
    )
    assert response.status_code == 200
    form = response.context["disputed"][0]["form"]
    assert form.errors["reasoning"] == ["这个字段是必填项。"]
    assert not ExpertOpinion.objects.filter(disputed_clause=disputed).exists()


def test_the_panel_concludes_keeping_the_dissent(client, people, with_panel):
    case = with_panel
    _all_opinions(people, ExpertPanel.objects.get(case=case).disputed.get())
    client.force_login(people.experts[0])
    response = client.post(
        _url(case, "expert_conclude"),
        {
            "conclude-conclusion": "多数专家认为符合第六条第（四）项。",
            "conclude-confirm": "on",
            "conclude-dissent": "欧阳专家认为检查流于形式。",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已出具专家组书面论证意见。" in page
    assert "欧阳专家认为检查流于形式。" in page
    panel = ExpertPanel.objects.get(case=case)
    assert panel.concluded_at is not None
    assert response.context["conclude_form"] is None


def test_a_conclusion_without_the_dissent_is_refused_next_to_the_field(client, people, with_panel):
    case = with_panel
    _all_opinions(people, ExpertPanel.objects.get(case=case).disputed.get())
    client.force_login(people.experts[0])
    response = client.post(
        _url(case, "expert_conclude"), {"conclude-conclusion": "符合。", "conclude-confirm": "on"}
    )
    assert response.status_code == 200
    assert response.context["conclude_form"].errors["dissent"] == [
        str(panel_errors.DISSENT_MISSING)
    ]
    assert ExpertPanel.objects.get(case=case).concluded_at is None


def test_a_conclusion_before_every_opinion_is_refused(client, people, with_panel):
    case = with_panel
    client.force_login(people.experts[0])
    response = client.post(
        _url(case, "expert_conclude"),
        {"conclude-conclusion": "符合。", "conclude-confirm": "on"},
        follow=True,
    )
    items = "；".join(f"{expert.get_full_name()}（6.4）" for expert in people.experts)
    assert panel_errors.OPINIONS_MISSING % {"items": items} in response.content.decode()
    assert ExpertPanel.objects.get(case=case).concluded_at is None


def test_conclude_refuses_get(client, people, with_panel):
    case = with_panel
    client.force_login(people.experts[0])
    assert client.get(_url(case, "expert_conclude")).status_code == 405


def test_conclude_is_refused_to_the_inspector(client, people, with_panel):
    case = with_panel
    _all_opinions(people, ExpertPanel.objects.get(case=case).disputed.get(), ("agree",) * 3)
    client.force_login(people.inspector)
    assert (
        client.post(
            _url(case, "expert_conclude"),
            {"conclude-conclusion": "符合。", "conclude-confirm": "on"},
        ).status_code
        == 403
    )
    assert ExpertPanel.objects.get(case=case).concluded_at is None


def test_a_repeated_conclusion_is_harmless(client, people, with_panel):
    case = with_panel
    _all_opinions(people, ExpertPanel.objects.get(case=case).disputed.get(), ("agree",) * 3)
    client.force_login(people.experts[0])
    client.post(
        _url(case, "expert_conclude"),
        {"conclude-conclusion": "符合。", "conclude-confirm": "on"},
        follow=True,
    )
    response = client.post(
        _url(case, "expert_conclude"),
        {"conclude-conclusion": "改写的结论。", "conclude-confirm": "on"},
        follow=True,
    )
    assert str(panel_errors.PANEL_ALREADY_CONCLUDED) in response.content.decode()
    assert ExpertPanel.objects.get(case=case).conclusion == "符合。"


def test_the_expert_page_runs_a_fixed_number_of_queries(
    client, people, stages, django_assert_max_num_queries
):
    one = stages.with_panel(stages.expert_review(officers=1))
    two = stages.with_panel(stages.expert_review(officers=2))
    for case in (one, two):
        for disputed in ExpertPanel.objects.get(case=case).disputed.all():
            _all_opinions(people, disputed)
    client.force_login(people.experts[0])
    client.get(_url(one))
    # 31: one of them is the need-to-know check that the expert sits on the panel.
    with django_assert_max_num_queries(31) as one_run:
        client.get(_url(one))
    with django_assert_max_num_queries(31) as two_run:
        client.get(_url(two))
    assert len(one_run.captured_queries) == len(two_run.captured_queries)

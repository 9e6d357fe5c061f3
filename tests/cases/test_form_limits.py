"""Limited fields: a plain message for text over the limit, a counter on the
page, and the evidence form only where the stage takes evidence."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cases.models import Case, Evidence
from tests.flows import nothing_changes, taian_case_at

pytestmark = pytest.mark.django_db


class _Note(forms.Form):
    note = forms.CharField(max_length=4000, widget=forms.Textarea)


def test_text_over_the_limit_is_refused_in_plain_chinese():
    with translation.override("zh-hans"):
        form = _Note(data={"note": "字" * 80000})
        assert not form.is_valid()
        assert form.errors["note"] == ["最多 4000 字，现有 80000 字。"]


def test_and_in_plain_english():
    with translation.override("en"):
        form = _Note(data={"note": "x" * 4001})
        assert not form.is_valid()
        assert form.errors["note"] == ["At most 4000 characters; this has 4001."]


def test_a_model_form_field_says_the_same():
    form_field = Case._meta.get_field("incident_summary").formfield()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        form_field.clean("字" * 4001)
    assert refused.value.messages == ["最多 4000 字，现有 4001 字。"]


def test_every_page_loads_the_counter_script_with_its_wording_in_the_readers_language(
    client, inspector
):
    client.force_login(inspector)
    html = client.get(reverse("cases:list")).content.decode()
    assert 'src="/static/js/counters.js"' in html
    assert 'data-counter-text="已输入 {count} / {max} 字"' in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cases:list")).content.decode()
    assert 'data-counter-text="{count} / {max} characters"' in html
    assert 'data-counter-over="{over} characters over the limit of {max}"' in html


def test_limited_fields_keep_their_limit_for_the_counter(client, inspector):
    client.force_login(inspector)
    html = client.get(reverse("cases:create"), follow=True).content.decode()
    assert 'maxlength="4000"' in html  # the counter reads it (static/js/counters.js)


@pytest.mark.parametrize("state", ["registered", "investigating"])
def test_the_upload_form_shows_while_the_stage_takes_evidence(client, state):
    flow = taian_case_at(state)
    client.force_login(flow.staff.inspector)
    html = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert 'data-testid="evidence-upload-form"' in html
    assert 'data-testid="evidence-closed"' not in html


@pytest.mark.parametrize("state", ["decided", "closed"])
def test_the_upload_form_is_gone_once_decided_and_the_page_says_why(client, state):
    flow = taian_case_at(state)
    client.force_login(flow.staff.inspector)
    html = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert 'data-testid="evidence-upload-form"' not in html
    assert "案件已作出决定，不再接收证据材料。" in html
    # and the service still refuses a post made anyway
    with nothing_changes(flow.case):
        client.post(reverse("cases:evidence_upload", args=[flow.case.pk]), {"description": "x"})
    assert not Evidence.objects.filter(case=flow.case).exists()

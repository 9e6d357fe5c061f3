"""The migration path of recorded findings when facts were split or their
labels narrowed (cases migration 0007): mapped where certain, marked for
review otherwise, decided cases untouched; recording again reviews."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from cases.models import FactRecord
from cases.services.facts import fact_record
from cases.workflow import CaseState, Stage
from tests.flows import lianyungang_case_at, taian_case_at

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cases.migrations.0007_map_split_fact_keys")


def run():
    migration.map_fact_records(apps, None)


def old(flow, key, value, stage=Stage.INTAKE, **extra):
    return FactRecord.objects.create(
        case=flow.case,
        stage=stage,
        fact_key=key,
        value=value,
        recorded_by=flow.staff.inspector,
        **extra,
    )


def values(flow):
    """The intake findings other than the scenario's own."""
    scenario = set(flow.scenario.intake_facts)
    return {
        r.fact_key: r.value
        for r in FactRecord.objects.filter(case=flow.case, stage=Stage.INTAKE)
        if r.fact_key not in scenario
    }


@pytest.fixture
def taian(catalogs):
    return taian_case_at(CaseState.REGISTERED)


@pytest.fixture
def lyg(catalogs):
    return lianyungang_case_at(CaseState.REGISTERED)


def test_a_merged_fact_found_false_makes_each_alternative_false(taian):
    record = old(taian, "clue_transferred_or_reported", False, note="经核查未移交")
    run()
    assert values(taian) == {
        "clue_transferred_or_reported": False,
        "clue_transferred": False,
        "violation_reported": False,
        "own_duties_performed": False,
    }
    new = FactRecord.objects.get(case=taian.case, fact_key="clue_transferred")
    assert new.note == "依原记录“clue_transferred_or_reported = False”迁移。"
    assert new.recorded_by == taian.staff.inspector
    record.refresh_from_db()
    assert not record.needs_review


def test_a_merged_fact_found_true_is_marked_for_review_and_nothing_is_guessed(taian):
    record = old(taian, "clue_transferred_or_reported", True)
    run()
    assert values(taian) == {"clue_transferred_or_reported": True}
    record.refresh_from_db()
    assert record.needs_review
    assert "请分别认定" in record.review_note


def test_a_lianyungang_report_is_reviewed_for_its_timing_a_taian_one_is_not(taian, lyg):
    lyg_report = old(lyg, "report_received", True)
    taian_report = old(taian, "report_received", True)
    run()
    lyg_report.refresh_from_db()
    taian_report.refresh_from_db()
    assert lyg_report.needs_review and "造成不良影响前" in lyg_report.review_note
    assert not taian_report.needs_review


def test_no_report_at_all_means_none_before_the_harm(lyg):
    old(lyg, "report_received", False)
    run()
    assert values(lyg)["report_received_before_harm"] is False


def test_labels_narrowed_to_the_regulation_s_words_ask_for_review(taian, lyg):
    corrected = old(lyg, "self_corrected", True)
    limits = old(taian, "objective_limitations", False)
    kept = old(taian, "objective_limitations", True, stage=Stage.DELIBERATION)
    run()
    for record in (corrected, limits, kept):
        record.refresh_from_db()
    assert corrected.needs_review and "及时主动自行纠正" in corrected.review_note
    assert limits.needs_review and "审慎监管" in limits.review_note
    assert not kept.needs_review  # the wider label still holds what was found


def test_a_finding_already_made_under_the_new_key_stands(taian):
    old(taian, "clue_transferred_or_reported", False)
    old(taian, "clue_transferred", True)
    run()
    assert values(taian)["clue_transferred"] is True


def test_decided_cases_are_not_touched(catalogs):
    flow = taian_case_at(CaseState.DECIDED)
    record = old(flow, "clue_transferred_or_reported", False)
    before = set(FactRecord.objects.filter(case=flow.case).values_list("pk", flat=True))
    run()
    assert set(FactRecord.objects.filter(case=flow.case).values_list("pk", flat=True)) == before
    record.refresh_from_db()
    assert not record.needs_review


def test_running_it_again_changes_nothing(taian):
    old(taian, "clue_transferred_or_reported", False)
    old(taian, "report_received", True)
    run()
    first = list(FactRecord.objects.order_by("pk").values())
    run()
    assert list(FactRecord.objects.order_by("pk").values()) == first


def test_recording_a_successor_fact_reviews_the_split_one(taian):
    record = old(taian, "clue_transferred_or_reported", True)
    run()
    fact_record(
        actor=taian.staff.inspector,
        case=taian.case,
        stage=Stage.INTAKE,
        fact_key="violation_reported",
        value=True,
    )
    record.refresh_from_db()
    assert not record.needs_review


def test_recording_the_fact_again_reviews_it(lyg):
    record = old(lyg, "self_corrected", True)
    run()
    fact_record(
        actor=lyg.staff.inspector,
        case=lyg.case,
        stage=Stage.INTAKE,
        fact_key="self_corrected",
        value=False,
    )
    record.refresh_from_db()
    assert (record.needs_review, record.review_note, record.value) == (False, "", False)


def test_the_facts_page_lists_what_needs_review(client, taian):
    old(taian, "clue_transferred_or_reported", True)
    run()
    client.force_login(taian.staff.inspector)
    html = client.get(reverse("cases:facts", args=[taian.case.pk, Stage.INTAKE])).content.decode()
    assert 'data-testid="facts-to-review"' in html
    assert "请分别认定" in html


# --- catalogue versions across the split ----------------------------------------------------


@pytest.fixture
def pre_split_dir(tmp_path):
    """The Lianyungang catalogue as it was before the split: no effects, 8.19
    written over the merged fact."""
    import shutil

    import yaml

    from exemptions.services import CATALOG_DIR

    directory = tmp_path / "catalogs"
    directory.mkdir()
    shutil.copy(CATALOG_DIR / "facts.yaml", directory / "facts.yaml")
    data = yaml.safe_load((CATALOG_DIR / "lianyungang-2022.yaml").read_text("utf-8"))
    del data["procedure"]["fault_requires_consequence"]
    for article in data["articles"]:
        article.pop("effect", None)
        for item in article.get("clauses", []):
            if item["ref"] == "8.19":
                item["requires"] = ["clue_transferred_or_reported", "receiving_department_declined"]
    (directory / "lianyungang-2022.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), "utf-8"
    )
    return directory


def test_a_version_loaded_before_the_split_still_reads_and_the_new_one_becomes_current(
    pre_split_dir,
):
    from django.core.management import call_command

    from exemptions.engine import assess
    from exemptions.models import RegulationVersion
    from exemptions.selectors import catalog_for_version
    from exemptions.services import CATALOG_DIR

    call_command("load_catalogs", "--dir", str(pre_split_dir), stdout=None)
    old_version = RegulationVersion.objects.get(
        regulation__slug="lianyungang-2022", is_current=True
    )
    call_command("load_catalogs", "--dir", str(CATALOG_DIR), stdout=None)
    new_version = RegulationVersion.objects.get(
        regulation__slug="lianyungang-2022", is_current=True
    )
    assert new_version.pk != old_version.pk  # a new version, or the current content reinstated

    old_catalog = catalog_for_version(old_version)
    facts = {"clue_transferred_or_reported": True, "receiving_department_declined": True}
    [result] = [r for r in assess(old_catalog, facts).clauses if r.ref == "8.19"]
    assert (result.result, result.effect) == ("satisfied", None)

    new_catalog = catalog_for_version(new_version)
    [result] = [r for r in assess(new_catalog, facts).clauses if r.ref == "8.19"]
    assert (result.result, result.effect) == ("undetermined", "not_a_fault")
    assert new_version.clauses.get(ref="8.19").effect == "not_a_fault"

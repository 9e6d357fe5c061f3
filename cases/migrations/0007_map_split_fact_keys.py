"""Carry recorded findings over to the facts that now carry one element each
(issue 20: each regulation in its own words).

For every case not yet decided, a finding recorded under a fact that was split
or whose label was narrowed to the regulation's own words is
- mapped, where the mapping is certain (a finding that the merged fact was
  false makes each of its alternatives false), by adding the new finding beside
  it, and
- marked `needs_review` with a note saying what to establish, where it is not.
The old record stays as it was: a case keeps its catalogue version, and the
older versions still read the old keys. Decided, filed, published, closed and
withdrawn cases are not touched. The table is frozen here, as a migration must be.
"""

from django.db import migrations

OPEN_STATES = ("draft", "registered", "investigating", "expert_review", "deliberation")
ANY = "*"

# (regulation slug or ANY, old key, old value) -> (facts certainly implied, review note)
MAPPING = {
    (ANY, "clue_transferred_or_reported", False): (
        {"clue_transferred": False, "violation_reported": False, "own_duties_performed": False},
        "",
    ),
    (ANY, "clue_transferred_or_reported", True): (
        {},
        "“线索已移交或已报告或已履行本部门职责”已拆分为三项：已将违法线索移交（移送）有关部门、"
        "已报告、已依法履行本部门职责。泰安办法第六条（九）只认前两项，连云港办法第八条（十九）"
        "只认移送线索。请分别认定。",
    ),
    ("lianyungang-2022", "report_received", False): ({"report_received_before_harm": False}, ""),
    ("lianyungang-2022", "report_received", True): (
        {},
        "连云港办法第八条（十）只看“在其违法行为造成不良影响前”是否接到举报："
        "请认定“在其违法行为造成不良影响前，市场监督管理部门已接到举报”。",
    ),
    ("lianyungang-2022", "reform_pilot_per_policy", True): (
        {},
        "连云港办法第八条（五）另须“因经验不足，先行先试未达到预期效果，在创造性或者探索性工作中"
        "出现失误或者偏差”，该项现单独认定，请补充认定。",
    ),
    ("lianyungang-2022", "reform_pilot_per_policy", False): (
        {},
        "原表述把先行先试、探索性工作并入本项；现本项只含“符合上级政策，依法依规履行法定程序”，"
        "请按新表述复核。",
    ),
    ("lianyungang-2022", "self_corrected", True): (
        {},
        "本项现按连云港办法第八条（二十七）的表述认定：“及时主动自行纠正或者经批评教育后及时改正”。"
        "原表述把“及时”“主动”列为可选，请复核。",
    ),
    ("lianyungang-2022", "tolerance_acceptance", False): (
        {},
        "本项现按连云港办法第八条（一）的表述认定，不再要求“为提高效率”，请复核。",
    ),
    ("lianyungang-2022", "inspection_plan_followed", True): (
        {},
        "本项现按连云港办法第八条（十二）的表述认定，检查计划不含飞行检查，请复核。",
    ),
    ("taian-2020", "objective_limitations", False): (
        {},
        "本项现按泰安办法第六条（五）的表述认定，包括“审慎监管”等客观原因和“未能及时发现”，"
        "原表述较窄，请复核。",
    ),
    ("taian-2020", "false_materials_provided", True): (
        {},
        "本项现按泰安办法第六条（一）的表述认定：申请人、第三方机构提供、出具虚假证据、材料；"
        "“隐瞒有关情况”不在其内，请复核。",
    ),
    ("taian-2020", "non_statutory_assigned_task", True): (
        {},
        "本项现按泰安办法第六条（十）的表述认定：完成政府交办的任务（不含上级交办），请复核。",
    ),
    ("taian-2020", "new_evidence_changed_facts", True): (
        {},
        "本项现按泰安办法第六条（十二）的表述认定：原认定事实和案件性质均发生变化，请复核。",
    ),
    ("taian-2020", "harm_occurred", True): (
        {},
        "本项现按泰安办法第六条（六）的表述认定：发生危害性事故（不含一般不良影响），请复核。",
    ),
}
OLD_KEYS = sorted({key for _slug, key, _value in MAPPING})
MIGRATED_NOTE = "依原记录“%(key)s = %(value)s”迁移。"


def rule_for(slug: str, key: str, value):
    """The mapping entry for a record, the regulation's own before the general one."""
    if not isinstance(value, bool):
        return None
    return MAPPING.get((slug, key, value)) or MAPPING.get((ANY, key, value))


def map_fact_records(apps, schema_editor):
    FactRecord = apps.get_model("cases", "FactRecord")
    records = (
        FactRecord.objects.filter(fact_key__in=OLD_KEYS, case__state__in=OPEN_STATES)
        .select_related("case__regulation__regulation")
        .order_by("pk")
    )
    for record in records:
        rule = rule_for(record.case.regulation.regulation.slug, record.fact_key, record.value)
        if rule is None:
            continue
        implied, note = rule
        for key, value in implied.items():
            scope = {
                "case_id": record.case_id,
                "subject_officer_id": record.subject_officer_id,
                "stage": record.stage,
                "fact_key": key,
            }
            if FactRecord.objects.filter(**scope).exists():
                continue  # a finding already made under the new key stands
            new = FactRecord.objects.create(
                **scope,
                value=value,
                note=MIGRATED_NOTE % {"key": record.fact_key, "value": record.value},
                recorded_by_id=record.recorded_by_id,
            )
            new.evidence.set(record.evidence.all())
        if note and not record.needs_review:
            record.needs_review = True
            record.review_note = note
            record.save(update_fields=["needs_review", "review_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_fact_record_needs_review"),
        ("exemptions", "0002_fact_labels_and_clause_effect"),
    ]

    operations = [migrations.RunPython(map_fact_records, migrations.RunPython.noop)]

"""Demo clarification records, made through the services after
accounts.demo.seed_demo_data(): one notice issued (Tai'an), one accusation
waiting to be looked into against an officer who has an account (so 冯承办
sees it as the officer concerned), one clarification decided but not issued
(Lianyungang). Idempotent: a record already there is left as it is."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Officer, User
from vindication import services
from vindication.models import ClarificationRecord


@dataclass(frozen=True)
class DemoRecord:
    officer: str  # certificate number
    actor: str  # username of the leader who records and acts
    kind: str
    channel: str
    source: str
    days_ago: int
    content: str
    # how far it goes: "recorded", "decided" or "issued"
    stage: str
    found_by: str = ""
    basis: str = ""
    decided_by: str = ""
    scope: str = "unit"
    scope_detail: str = ""


RECORDS = [
    DemoRecord(
        officer="37090011",
        actor="ta_leader",
        kind="untrue_complaint",
        channel="hotline",
        source="12345热线工单",
        days_ago=40,
        content="反映张执法在对某超市开展食品安全检查时收受商户礼品，对过期食品视而不见。",
        stage="issued",
        found_by="本局执法稽查科调查组",
        basis="调取执法记录仪视频、检查记录和商户询问笔录，检查全程规范，未发现收受礼品的情况；"
        "过期食品系检查后购进。",
        decided_by="局党组会议",
        scope="unit",
        scope_detail="在被举报人所在科室及本局机关",
    ),
    DemoRecord(
        officer="37090101",
        actor="ta_leader",
        kind="defamation",
        channel="online",
        source="本地论坛帖子",
        days_ago=5,
        content="网帖称冯承办在岱庙周边市场检查时粗暴执法、辱骂摊贩。",
        stage="recorded",
    ),
    DemoRecord(
        officer="32070011",
        actor="lyg_leader",
        kind="false_accusation",
        channel="letters_and_visits",
        source="来信",
        days_ago=30,
        content="来信称韩执法在办理行政许可时故意拖延、索要好处。",
        stage="decided",
        found_by="本局督查室",
        basis="经核查许可办理台账和系统日志，该许可在法定时限内办结，未发现索要好处的情况。",
        decided_by="局长办公会议",
        scope="system",
    ),
]


def _advance(record: ClarificationRecord, demo: DemoRecord, actor: User) -> None:
    today = timezone.localdate()
    received = today - datetime.timedelta(days=demo.days_ago)
    record = services.clarification_finding_record(
        actor=actor,
        record=record,
        untrue=True,
        found_by=demo.found_by,
        found_on=received + datetime.timedelta(days=10),
        basis=demo.basis,
    )
    record = services.clarification_decide(
        actor=actor,
        record=record,
        decided_by=demo.decided_by,
        decided_on=received + datetime.timedelta(days=20),
        scope=demo.scope,
        scope_detail=demo.scope_detail,
    )
    if demo.stage == "issued":
        services.clarification_notice_issue(
            actor=actor, record=record, issued_on=received + datetime.timedelta(days=22)
        )


@transaction.atomic
def seed_demo_vindication() -> list[ClarificationRecord]:
    """Create the demo records that are not there yet; return all of them."""
    records = []
    for demo in RECORDS:
        officer = Officer.objects.filter(certificate_number=demo.officer).first()
        actor = User.objects.filter(username=demo.actor).first()
        if officer is None or actor is None:  # the demo organisation is not seeded
            continue
        existing = ClarificationRecord.objects.filter(
            unit=officer.unit, content=demo.content
        ).first()
        if existing is not None:
            records.append(existing)
            continue
        record = services.clarification_record(
            actor=actor,
            officers=[officer],
            kind=demo.kind,
            channel=demo.channel,
            source=demo.source,
            received_on=timezone.localdate() - datetime.timedelta(days=demo.days_ago),
            content=demo.content,
        )
        if demo.stage != "recorded":
            _advance(record, demo, actor)
        records.append(record)
    return records

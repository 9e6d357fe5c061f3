"""Demo designations, interference entries and a protection request, for the
embedded default. Uses the demo accounts of accounts.demo (run
seed_demo_data first). Idempotent: running it twice changes nothing."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import Unit, User
from protections.models import Channel, Designation, InterferenceEntry, ProtectionRequest
from protections.services.designation import designation_grant
from protections.services.interference import InterferenceInput, interference_record
from protections.services.protection import ProtectionInput, protection_request_file

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_BASIS = "局党组会议决定（演示数据）"

# username, unit, kind: not every leader reads the register, only those named here.
DESIGNATIONS = [
    ("ta_chair", "泰安市市场监督管理局", Designation.Kind.INTERFERENCE_READER),
    ("ta_leader", "泰安市市场监督管理局", Designation.Kind.PROTECTION_HANDLER),
    ("lyg_chair", "连云港市市场监督管理局", Designation.Kind.INTERFERENCE_READER),
    ("lyg_leader", "连云港市市场监督管理局", Designation.Kind.PROTECTION_HANDLER),
]

ENTRIES = [
    (
        "ta_inspector",
        InterferenceInput(
            occurred_at=datetime.datetime(2026, 3, 2, 10, 20, tzinfo=SHANGHAI),
            interferer_name="赵某",
            interferer_unit="某商贸有限公司",
            interferer_position="总经理",
            channel=Channel.PHONE,
            matter="泰安某食品店涉嫌销售过期食品案（现场检查阶段）",
            request_content="来电称与局里领导熟悉，要求对当事人不予立案，检查记录“写轻一点”。",
            response="当场拒绝，告知对方将依法办理并如实记录；已向科室负责人报告。",
        ),
    ),
    (
        "ts_inspector",
        InterferenceInput(
            occurred_at=datetime.datetime(2026, 4, 15, 16, 5, tzinfo=SHANGHAI),
            interferer_name="不详",
            interferer_unit="自称当事人亲属",
            channel=Channel.THROUGH_OTHERS,
            channel_detail="托同事转达",
            matter="岱庙周边无照经营整治",
            request_content="托同事转达，请求对其亲属的摊点“高抬贵手”，暂缓取缔。",
            response="拒绝，请同事转告依法办理，并如实记录。",
        ),
    ),
]


@transaction.atomic
def seed_demo_protections() -> None:
    """Create (or leave as they are) the demo designations, entries and one
    protection request."""
    names = {"ta_secadmin", "ts_inspector"} | {d[0] for d in DESIGNATIONS} | {e[0] for e in ENTRIES}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    # Designations are the security administrator's (三员分立).
    admin = users.get("ta_secadmin")
    if admin is None:
        return
    units = {unit.name: unit for unit in Unit.objects.all()}
    for username, unit_name, kind in DESIGNATIONS:
        user, unit = users.get(username), units.get(unit_name)
        if user is None or unit is None:
            continue
        if not Designation.objects.filter(user=user, unit=unit, kind=kind).exists():
            designation_grant(actor=admin, user=user, unit=unit, kind=kind, basis=DEMO_BASIS)

    for username, data in ENTRIES:
        user = users.get(username)
        if user is None or InterferenceEntry.objects.filter(recorded_by=user).exists():
            continue
        interference_record(
            actor=user,
            data=data,
        )

    requester = users.get("ts_inspector")
    if (
        requester is not None
        and not ProtectionRequest.objects.filter(requested_by=requester).exists()
    ):
        protection_request_file(
            actor=requester,
            data=ProtectionInput(
                affected_person="self",
                incident_kind="following",
                occurred_at=datetime.datetime(2026, 4, 20, 18, 30, tzinfo=SHANGHAI),
                place="泰山区财源街道某小区门口",
                description="下班途中被一名男子骑电动车尾随至小区门口，对方称“认识你家在哪”。",
                duty_connection="此前依法取缔该男子亲属的无照经营摊点。",
            ),
        )

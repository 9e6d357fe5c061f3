"""Demo units, people and accounts for the embedded default (`make run`) and
for browser tests. Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import DisciplineBody, Officer, Unit, User
from accounts.roles import ADMINISTRATIVE_ROLES, Role

DEMO_PASSWORD = "jinzhi-demo-2026"  # noqa: S105 - printed for the demo accounts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    unit: str
    roles: tuple[str, ...]
    officer_certificate: str = ""
    post: str = ""


DISCIPLINE_BODIES = {
    "taian": "中共泰安市纪委监委驻市市场监督管理局纪检监察组",
    "lianyungang": "中共连云港市纪委监委驻市市场监督管理局纪检监察组",
}

# name, abbreviation, kind, level, parent, jurisdiction
UNITS = [
    ("泰安市市场监督管理局", "泰市监", "municipal_bureau", "municipal", None, "taian"),
    (
        "泰山区市场监督管理局",
        "泰山市监",
        "county_bureau",
        "county",
        "泰安市市场监督管理局",
        "taian",
    ),
    ("连云港市市场监督管理局", "连市监", "municipal_bureau", "municipal", None, "lianyungang"),
    (
        "连云港市海州区市场监督管理局",
        "海市监",
        "county_bureau",
        "county",
        "连云港市市场监督管理局",
        "lianyungang",
    ),
]

ACCOUNTS = [
    DemoAccount(
        "ta_inspector",
        "王承办",
        "泰安市市场监督管理局",
        (Role.INSPECTOR,),
        "37090001",
        "法规科科员",
    ),
    DemoAccount(
        "ta_investigator",
        "李调查",
        "泰安市市场监督管理局",
        (Role.INVESTIGATOR,),
        "37090002",
        "执法稽查科科长",
    ),
    DemoAccount("ta_supervisor", "陶督办", "泰安市市场监督管理局", (Role.CASE_SUPERVISOR,)),
    DemoAccount("ta_expert", "赵专家", "泰安市市场监督管理局", (Role.EXPERT,)),
    DemoAccount("ta_expert2", "钟专家", "泰安市市场监督管理局", (Role.EXPERT,)),
    DemoAccount("ta_expert3", "欧阳专家", "泰安市市场监督管理局", (Role.EXPERT,)),
    DemoAccount("ta_leader", "孙副局长", "泰安市市场监督管理局", (Role.LEADERSHIP_MEMBER,)),
    DemoAccount("ta_leader2", "周副局长", "泰安市市场监督管理局", (Role.LEADERSHIP_MEMBER,)),
    DemoAccount("ta_chair", "钱局长", "泰安市市场监督管理局", (Role.LEADERSHIP_CHAIR,)),
    DemoAccount("ta_liaison", "吴联络", "泰安市市场监督管理局", (Role.DISCIPLINE_LIAISON,)),
    # 三员分立: the system, security and audit administrators; none is a superuser.
    DemoAccount("ta_admin", "郑管理", "泰安市市场监督管理局", (Role.ADMINISTRATOR,)),
    # A second system administrator: a catalogue change needs another's approval.
    DemoAccount("ta_admin2", "韩管理", "泰安市市场监督管理局", (Role.ADMINISTRATOR,)),
    DemoAccount("ta_secadmin", "秦安全", "泰安市市场监督管理局", (Role.SECURITY_ADMINISTRATOR,)),
    DemoAccount("ta_auditor", "许审计", "泰安市市场监督管理局", (Role.AUDIT_ADMINISTRATOR,)),
    DemoAccount("ta_personnel", "冯人事", "泰安市市场监督管理局", (Role.PERSONNEL,)),
    DemoAccount(
        "ts_inspector",
        "冯承办",
        "泰山区市场监督管理局",
        (Role.INSPECTOR,),
        "37090101",
        "市场监管所所长",
    ),
    DemoAccount(
        "lyg_inspector",
        "陈承办",
        "连云港市市场监督管理局",
        (Role.INSPECTOR,),
        "32070001",
        "法制处科员",
    ),
    DemoAccount("lyg_investigator", "褚调查", "连云港市市场监督管理局", (Role.INVESTIGATOR,)),
    DemoAccount("lyg_supervisor", "柏督办", "连云港市市场监督管理局", (Role.CASE_SUPERVISOR,)),
    DemoAccount("lyg_leader", "卫副局长", "连云港市市场监督管理局", (Role.LEADERSHIP_MEMBER,)),
    DemoAccount("lyg_leader2", "韦副局长", "连云港市市场监督管理局", (Role.LEADERSHIP_MEMBER,)),
    DemoAccount("lyg_chair", "蒋局长", "连云港市市场监督管理局", (Role.LEADERSHIP_CHAIR,)),
    DemoAccount("lyg_liaison", "沈联络", "连云港市市场监督管理局", (Role.DISCIPLINE_LIAISON,)),
]

# Officers without accounts, the usual subjects of demo cases.
OFFICERS = [
    ("张执法", "37090011", "泰安市市场监督管理局", "食品安全监督管理科科员"),
    ("刘执法", "37090012", "泰安市市场监督管理局", "特种设备安全监察科科员"),
    ("杨执法", "37090111", "泰山区市场监督管理局", "岱庙市场监管所科员"),
    ("韩执法", "32070011", "连云港市市场监督管理局", "行政审批处科员"),
    ("朱执法", "32070012", "连云港市市场监督管理局", "执法稽查支队队员"),
]


@transaction.atomic
def seed_demo_data() -> list[DemoAccount]:
    """Create (or leave as they are) the demo organisation and accounts."""
    bodies = {
        code: DisciplineBody.objects.get_or_create(name=name)[0]
        for code, name in DISCIPLINE_BODIES.items()
    }
    units: dict[str, Unit] = {}
    for name, abbreviation, kind, level, parent, jurisdiction in UNITS:
        units[name], _ = Unit.objects.get_or_create(
            name=name,
            defaults={
                "abbreviation": abbreviation,
                "kind": kind,
                "level": level,
                "parent": units.get(parent),
                "jurisdiction": jurisdiction,
                "discipline_body": bodies[jurisdiction],
            },
        )
    # One hash for every demo account: they share the printed password, and
    # hashing it again for each (PBKDF2, on purpose slow) took seconds.
    password_hash = make_password(DEMO_PASSWORD)
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"display_name": account.name}
        )
        if created:
            user.password = password_hash
            user.is_staff = bool(ADMINISTRATIVE_ROLES & set(account.roles))
            if Role.DISCIPLINE_LIAISON in account.roles:
                user.discipline_body = units[account.unit].discipline_body
            user.save()
            user.units.add(units[account.unit])
            user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in account.roles))
        elif user.is_superuser:
            # Databases seeded before 三员分立 made the administrator a superuser.
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        if account.officer_certificate:
            Officer.objects.get_or_create(
                certificate_number=account.officer_certificate,
                defaults={
                    "name": account.name,
                    "unit": units[account.unit],
                    "post": account.post,
                    "user": user,
                },
            )
    for name, certificate, unit, post in OFFICERS:
        Officer.objects.get_or_create(
            certificate_number=certificate,
            defaults={"name": name, "unit": units[unit], "post": post},
        )
    return ACCOUNTS

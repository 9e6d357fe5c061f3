"""Roles are Django groups with these names. A role says what a user may do;
the units they belong to say on which cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("承办人")
    INVESTIGATOR = "investigator", _("调查人员")
    # Designated case supervisors read every case of their own unit
    # (need-to-know, docs/access.md) and assign its investigation team
    # (issue 15); where the unit allows it, the registering inspector may
    # assign too.
    CASE_SUPERVISOR = "case_supervisor", _("案件督办人")
    EXPERT = "expert", _("专家组成员")
    LEADERSHIP_MEMBER = "leadership_member", _("领导班子成员")
    LEADERSHIP_CHAIR = "leadership_chair", _("主要负责人")
    DISCIPLINE_LIAISON = "discipline_liaison", _("纪检监察联络员")
    # 三员分立 (GB/T 22239-2019): three administrative roles, none of which reads
    # case content. The system administrator keeps units, deadlines, meeting
    # rules, catalogues and accounts; the security administrator assigns roles
    # and designations and unlocks accounts; the audit administrator reads the
    # audit trail and verifies it.
    ADMINISTRATOR = "administrator", _("系统管理员")
    SECURITY_ADMINISTRATOR = "security_administrator", _("安全管理员")
    AUDIT_ADMINISTRATOR = "audit_administrator", _("安全审计员")
    # Personnel staff (组织人事) consult the personnel query for appraisal,
    # awards and promotion (Tai'an art. 13, Lianyungang art. 20).
    PERSONNEL = "personnel", _("人事干部")


# Roles whose holders oversee the units below their own: they see the cases of
# sub-units too. Inspectors, investigators and experts work on their own unit's
# cases only.
ROLES_SEEING_SUBUNITS = frozenset(
    {
        Role.LEADERSHIP_MEMBER,
        Role.LEADERSHIP_CHAIR,
        Role.DISCIPLINE_LIAISON,
    }
)

ADMINISTRATIVE_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR}
)

# Roles that read cases they take part in (need-to-know, docs/access.md; the
# participant arms are in cases.readers). Experts read the cases of their
# panels only; the discipline liaison reads filed packages; the personnel role
# uses the personnel query.
ROLES_READING_CASES = frozenset(
    {
        Role.INSPECTOR,
        Role.INVESTIGATOR,
        Role.LEADERSHIP_MEMBER,
        Role.LEADERSHIP_CHAIR,
        Role.CASE_SUPERVISOR,
    }
)

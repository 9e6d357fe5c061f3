"""What can go wrong when a unit's seal is set or a document is requested,
as the user is told it.

The refusals and validation messages of the documents app are named here;
tests assert through the name. The text is the msgid in
locale/*/django.po. Messages with parameters are formatted where raised;
each ValidationError keeps its stable `code`."""

from django.utils.translation import gettext_lazy as _

# --- the unit's seal (documents.seals) ------------------------------------------------
MAY_NOT_SET_SEAL = _("没有设置单位印章的权限。")
SEAL_EMPTY = _("印章图片为空。")
SEAL_TOO_LARGE = _("印章图片不能超过%(limit)d KB。")
SEAL_TYPE = _("印章图片须为PNG或SVG格式。")
SEAL_PNG_CORRUPT = _("PNG图片已损坏。")
SEAL_NOT_TRANSPARENT = _("印章图片须为透明背景（带透明通道的PNG），以免遮挡署名和日期。")
SEAL_SVG_DECLARATIONS = _("SVG印章不得包含DTD或实体声明。")
SEAL_SVG_UNREADABLE = _("SVG图片无法解析。")
SEAL_SVG_UNSAFE = _("SVG印章不得包含脚本、外部图片或引用（%(element)s）。")
SEAL_SVG_NO_SIZE = _("SVG印章须以viewBox或width、height给出尺寸。")
SEAL_SIZE = _("印章图片的边长须在%(low)d至%(high)d像素之间，现为%(width)d×%(height)d。")
SEAL_NOT_SQUARE = _("印章图片须近似正方形，现为%(width)d×%(height)d。")

# --- the certificate of no effect (documents.builders.certificate) ----------------------
# Shown to the user who asks for it (vindication.services.certificate_request).
CERTIFICATE_NOT_A_SUBJECT = _("该执法人员不是本案的涉案执法人员。")
CERTIFICATE_CASE_NOT_DECIDED = _("案件尚未作出决定，不能为%(name)s出具不受影响证明。")
CERTIFICATE_NO_DETERMINATION = _("%(name)s尚无表决通过的责任认定，不能出具不受影响证明。")
CERTIFICATE_NOT_NO_LIABILITY = _(
    "%(name)s的认定结果为“%(outcome)s”，不属于不予追究责任的情形，不能出具不受影响证明。"
)
CERTIFICATE_NO_ARTICLE = _("《%(title)s》中没有不受影响的条款，不能出具证明。")

# --- what the other documents need (documents.builders) --------------------------------
# Raised as ValueError by the builders: the document job records it, and a
# page that builds a document on request shows it.
NO_ADOPTED_DETERMINATION = _("本案尚无表决通过的责任认定，不能生成决定书、备案报告或公开通知。")
NO_DISCIPLINE_BODY = _("%(unit)s未设置同级纪检监察机关，不能生成备案报告。")
NO_REPORT = _("案件%(number)s尚无调查报告，无法生成调查报告文书。")
NO_PANEL = _("案件%(number)s尚未组成专家组，无法生成专家组书面论证意见。")
PANEL_NOT_CONCLUDED = _("案件%(number)s的专家组尚未出具结论，无法生成书面论证意见。")
NO_CLOSED_MEETING = _("案件%(number)s尚无已闭会的集体研究会议，无法生成会议纪要。")
NOT_TRANSFERRED = _("该执法人员尚未移送纪检监察机关，不能生成移送函。")
NO_DUTY_OPINION = _("本案尚未出具依法履职情况书面意见。")

# --- requesting a document (documents.services) ---------------------------------------
UNKNOWN_OPTIONS = _("文书“%(kind)s”不接受参数：%(names)s")

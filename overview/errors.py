"""What can go wrong in the overview's filters, as the user is told it.

The filter form's messages are named here; tests assert through the name.
The text is the msgid in locale/*/django.po."""

from django.utils.translation import gettext_lazy as _

DATE_ORDER = _("开始日期不能晚于结束日期。")
DATE_OUT_OF_RANGE = _("请填写 2000 年至 2100 年之间的日期。")
DATE_FROM_INVALID = _("开始日期格式不正确，请按“年-月-日”填写，如 2026-01-31。")
DATE_TO_INVALID = _("结束日期格式不正确，请按“年-月-日”填写，如 2026-12-31。")
UNIT_NOT_VISIBLE = _("所选单位不存在或不在您可查看的范围内。")

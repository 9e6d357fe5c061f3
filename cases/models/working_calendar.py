"""The administrator's adjustments to the official working calendar."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.working_days import library_is_working_day


class CalendarOverride(models.Model):
    """A day the administrator declares a working day or a day off, over the
    official calendar the holidays library knows: for a year whose notice
    came out after the installed version, or a local arrangement."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("是否工作日"), help_text=_("勾选：当日上班（如调休上班的周末）；不勾选：当日放假。")
    )
    note = models.CharField(
        _("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'上班' if self.is_working_day else '放假'}"

    def clean(self) -> None:
        # An override that says what the official calendar already says would
        # hide a mistake (the wrong day, the box left unticked).
        if self.date is not None and self.is_working_day == library_is_working_day(self.date):
            message = (
                _("%(date)s 按国家法定节假日安排本就是工作日，无需调整。")
                if self.is_working_day
                else _("%(date)s 按国家法定节假日安排本就放假，无需调整。")
            )
            raise ValidationError({"is_working_day": message % {"date": self.date.isoformat()}})

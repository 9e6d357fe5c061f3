"""The user's own notices: the list, marking read (one or all) and the
choice of immediate e-mail or a daily digest."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.models import Notification
from cases.services.notices import notification_mark_read


def notification_list(request):
    """The user's own reminders: nothing here is anyone else's."""
    notifications = Notification.objects.filter(user=request.user).select_related("case", "actor")[
        :100
    ]
    return render(request, "cases/notifications.html", {"notifications": notifications})


@require_POST
def notifications_mark_read(request):
    notification_mark_read(user=request.user)
    return redirect("notifications")


@require_POST
def notification_read(request, notification_id: int):
    """Mark one notice read and open its case (someone else's notice, or an
    unknown one, changes nothing and goes back to the list)."""
    notice = Notification.objects.filter(user=request.user, pk=notification_id).first()
    if notice is None:
        messages.error(request, errors.NO_SUCH_NOTIFICATION)
        return redirect("notifications")
    notification_mark_read(user=request.user, notification_id=notice.pk)
    if request.POST.get("open"):
        return redirect("cases:detail", notice.case_id)
    return redirect("notifications")


class NoticeSettingsForm(forms.Form):
    notice_delivery = forms.ChoiceField(
        label=gettext_lazy("提醒邮件"),
        choices=User.NoticeDelivery.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


def notification_settings(request):
    user = request.user
    if request.method == "POST":
        form = NoticeSettingsForm(request.POST)
        if form.is_valid():
            before = user.notice_delivery
            user.notice_delivery = form.cleaned_data["notice_delivery"]
            user.save(update_fields=["notice_delivery"])
            audit_record(
                event_type=AuditEventType.ACCOUNT_CHANGED,
                actor=user,
                obj=user,
                summary=_("提醒邮件设置：%(choice)s")
                % {"choice": user.get_notice_delivery_display()},
                data={"notice_delivery": [before, user.notice_delivery]},
            )
            messages.success(request, _("提醒设置已保存。"))
            return redirect("notification_settings")
    else:
        form = NoticeSettingsForm(initial={"notice_delivery": user.notice_delivery})
    return render(
        request,
        "cases/notification_settings.html",
        {"form": form, "has_email": bool(user.email)},
    )

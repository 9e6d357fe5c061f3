from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.models import Notification


def notification_list(request):
    """The user's own reminders: nothing here is anyone else's."""
    notifications = Notification.objects.filter(user=request.user).select_related("case")[:100]
    return render(request, "cases/notifications.html", {"notifications": notifications})


@require_POST
def notifications_mark_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications")

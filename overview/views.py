from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Unit
from accounts.selectors import user_visible_unit_ids
from overview.figures import overview_figures
from overview.forms import OverviewFilterForm
from overview.selectors import overview_build


def overview_index(request):
    """The overview of the cases in the units the user oversees: a fixed
    number of aggregate queries whatever the number of cases."""
    if not request.user.has_perm("overview.view_overview"):
        raise PermissionDenied
    visible = user_visible_unit_ids(request.user)
    form = OverviewFilterForm(request.GET, units=Unit.objects.filter(pk__in=visible))
    if not form.is_valid():
        return render(request, "overview/index.html", {"form": form}, status=400)
    now = timezone.now()
    overview = overview_build(scope=form.scope(visible), now=now)
    return render(
        request,
        "overview/index.html",
        {
            "form": form,
            "overview": overview,
            "figures": overview_figures(overview),
            "now": now,
        },
    )

"""My tasks: the cases waiting on the user now, each with the step expected
of them and where to take it."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from cases.filters import DUE_SOON_DAYS
from cases.models import Case
from cases.selectors import NextStep, cases_waiting_on, readable_case_ids, tasks_for

TASKS_PER_PAGE = 50


@dataclass(frozen=True)
class Task:
    case: Case
    step: NextStep
    url: str
    can_view_case: bool


def task_list(request):
    """Every role sees its own list; a user with nothing waiting sees an
    empty one."""
    user = request.user
    page = Paginator(cases_waiting_on(user), TASKS_PER_PAGE).get_page(request.GET.get("page"))
    tasks = []
    steps = tasks_for(user, list(page.object_list))
    readable = readable_case_ids(user, steps)
    for case in page.object_list:
        step = steps.get(case.pk)
        if step is None:  # moved on between the two queries
            continue
        tasks.append(Task(case, step, step.url_for(case), case.pk in readable))
    now = timezone.now()
    return render(
        request,
        "cases/tasks.html",
        {
            "page": page,
            "tasks": tasks,
            "now": now,
            "due_soon": now + datetime.timedelta(days=DUE_SOON_DAYS),
        },
    )

"""The full clause matrix of a case: every clause at every stage, or at one."""

from django.http import Http404
from django.shortcuts import render

from cases.assessment import FACT_STAGES
from cases.selectors_matrix import matrix_blocks
from cases.views.common import get_case_for_user
from cases.workflow import Stage
from exemptions.selectors import facts_by_key


def case_matrix(request, pk: int, stage: str | None = None):
    case = get_case_for_user(request, pk)
    if stage is None:
        stages = FACT_STAGES
    elif stage in FACT_STAGES:
        stages = (Stage(stage),)
    else:
        raise Http404
    return render(
        request,
        "cases/matrix_page.html",
        {
            "case": case,
            "stage": Stage(stage) if stage else None,
            "fact_stages": [Stage(s) for s in FACT_STAGES],
            "stages": [Stage(s) for s in stages],
            "blocks": matrix_blocks(case, stages=stages),
            "facts": facts_by_key(regulation=case.regulation.regulation.slug),
        },
    )

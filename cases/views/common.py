"""The one access helper every case view fetches through."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases.models import Case
from cases.selectors import case_detail_prefetched, case_header


def get_case_for_user(request, pk: int, perm: str = "cases.view_case") -> Case:
    """The case, or 404 when it does not exist or the user may not see it (a
    case of another unit is not acknowledged to exist); 403 when they may see
    it but not do `perm`. The case comes with everything its pages show
    (cases.selectors.case_detail), loaded once access is granted."""
    try:
        case = case_header(pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("cases.view_case", case):
        raise Http404
    if perm != "cases.view_case" and not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case_detail_prefetched(case)


def require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def error_messages(error: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, flat."""
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)

from celery import shared_task

from cases.services.deadlines import deadlines_scan


@shared_task(name="cases.deadlines_scan")
def deadlines_scan_task() -> int:
    """Run by celery beat: notify people of cases due soon or overdue."""
    return deadlines_scan()


@shared_task(name="cases.send_digests")
def send_digests_task() -> int:
    """Run by celery beat each morning: the daily digest of notices."""
    from cases.services.notices import send_digests

    return send_digests()

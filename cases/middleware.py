"""Deadline reminders where no celery beat runs (the embedded default)."""

import logging

from django.conf import settings
from django.core.cache import cache

from cases.services.deadlines import deadlines_scan

logger = logging.getLogger(__name__)

SCAN_LOCK_KEY = "cases:deadlines-scan-on-request"


class DeadlineScanOnRequestMiddleware:
    """Runs the deadline scan before a request at most once every
    DEADLINE_SCAN_ON_REQUEST_MINUTES (0: never, the production setting where
    celery beat runs it). The cache holds the throttle: `cache.add` succeeds
    for one request per period, so concurrent requests do not scan twice in
    one process, and the scan itself is idempotent should two processes both
    scan. Running it before the view means the first page after start-up
    already shows the reminders due."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = settings.DEADLINE_SCAN_ON_REQUEST_MINUTES
        if minutes and cache.add(SCAN_LOCK_KEY, True, timeout=minutes * 60):
            try:
                created = deadlines_scan()
            except Exception:
                # A reminder failing must never take the page down with it;
                # the next period tries again.
                logger.exception("Deadline scan on request failed")
            else:
                if created:
                    logger.info("Deadline scan on request: %s notifications", created)
        return self.get_response(request)

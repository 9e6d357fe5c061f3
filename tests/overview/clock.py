"""A controllable clock for building cases whose stage times are known."""

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """A controllable `timezone.now` (audit events, created_at and deadlines
    all read it), so stage times are exact."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment

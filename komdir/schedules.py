"""Celery beat schedules in Copenhagen time, whatever timezone Celery itself runs in."""

from celery.schedules import crontab

from core.time import COPENHAGEN, copenhagen_now


class CopenhagenCrontab(crontab):
    """A crontab whose hours are Copenhagen's (summer time included).

    CELERY_TIMEZONE is UTC, and Celery matches a crontab's fields in the app's timezone
    even when nowfun returns another one; so the schedule's own timezone is fixed here
    as well as its clock."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("nowfun", copenhagen_now)
        super().__init__(*args, **kwargs)

    @property
    def tz(self):
        return COPENHAGEN

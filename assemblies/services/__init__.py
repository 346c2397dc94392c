"""Writes for the general assembly: the preparation (notice, agenda, motions, candidacies)
and the day (proxies, attendance, decisions, elections, minutes)."""

from .day import *  # noqa: F403
from .preparation import *  # noqa: F403

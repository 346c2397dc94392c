"""Reads for the general assembly."""

from .day import *  # noqa: F403
from .preparation import *  # noqa: F403

from . import day, preparation  # noqa: F401

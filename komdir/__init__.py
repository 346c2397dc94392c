"""The project package: configuration and composition. Settings, URLs, the Celery app,
WSGI/ASGI and /healthz; the pages that compose several apps (home, /om/, the directory
and profiles with their circles), the admin's cross-app inlines and seed_demo. Stands
above every app and may import all of them; no app may import it."""

from .celery import app as celery_app

__all__ = ("celery_app",)

"""Settings of the test suite (pytest's DJANGO_SETTINGS_MODULE): the production settings,
DEBUG off, without HTTPS redirects, with fast password hashing, plain static files
found in place, and Celery tasks run in-process unless a test starts a real worker.

Tests that start a server or a worker as a subprocess give it komdir.settings itself."""

import os

# The production settings refuse to load without a key; the tests need none of their
# own, and no subprocess a test starts may inherit one from here.
_key_given = "SECRET_KEY" in os.environ
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)
try:
    from .settings import *  # noqa: F403
    from .settings import PASSWORD_HASHERS, STORAGES, env_bool
finally:
    if not _key_given:
        del os.environ["SECRET_KEY"]

# Hashing speed is not under test; Argon2 is (tests/test_deployment.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Documents' files in memory: no test writes under var/.
    "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
SECURE_SSL_REDIRECT = False

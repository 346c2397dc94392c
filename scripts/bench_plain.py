"""The benchmark's yardstick: a plain Django project in one module. No middleware, no apps,
one view returning a constant 4 KB HttpResponse; served by `gunicorn -w 2` (sync):

    gunicorn -w 2 --chdir scripts bench_plain:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="plain-bench-only-" + "p" * 40,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)

BODY = b"<!doctype html><title>plain</title>" + b"x" * (4096 - 35)


def page(request):
    return HttpResponse(BODY)


urlpatterns = [path("", page)]

application = get_wsgi_application()

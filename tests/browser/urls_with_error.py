"""The portal's URLconf plus one URL that fails, for the browser test of the 500 page
(tests/browser/test_every_page.py switches ROOT_URLCONF to this module for that test
only): the live server, DEBUG off like production, answers it with templates/500.html
through Django's own handler500."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from komdir.urls import urlpatterns as portal_urlpatterns


@login_not_required
def raise_an_error(request):
    raise RuntimeError("A deliberate error of the browser test of the 500 page.")


urlpatterns = [
    *portal_urlpatterns,
    path("test-fejl/", raise_an_error, name="test_server_error"),
]

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language

import core.inputs  # noqa: F401  (registers the <text:> path converter)
from members import urls as member_urls
from members import views as member_views

from . import views
from .health import healthz

# The admin signs in through allauth, so that no login path skips the rate limit or MFA.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("KOMDIR administration")
admin.site.site_title = "KOMDIR"
admin.site.index_title = _("Administration")

# The directory and the profiles show each member's circles, and the profile page every
# app's settings: composed here, and named in members' namespace with the rest of
# members' pages.
member_patterns = [
    path("profil/", views.profile_edit, name="profile"),
    path("medlemmer/", views.member_directory, name="directory"),
    path("medlemmer/<int:member_id>/", views.member_profile, name="detail"),
    *member_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("om/", views.about, name="about"),
    path("", include((member_patterns, member_urls.app_name))),
    # Before events': an assembly's minutes (/arrangementer/<id>/referat/) are the
    # assembly's page, which hands any other event's minutes to the events app.
    path("", include("assemblies.urls")),
    path("", include("events.urls")),
    path("", include("documents.urls")),
    path("", include("circles.urls")),
    path("", include("focusareas.urls")),
    path("invitation/<text:token>/", member_views.invitation_accept, name="invitation_accept"),
    # allauth's signup, with what the invitation names filled in; the rest is allauth's.
    path("accounts/signup/", member_views.signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # Exempt from CSRF so that the language form needs no per-visitor token and the
    # public pages can be cached whole; a forged request could only switch the language.
    path("i18n/setlang/", login_not_required(csrf_exempt(set_language)), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path(
        "favicon.ico",
        login_not_required(
            RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True)
        ),
        name="favicon",
    ),
]

from django.urls import path

import core.inputs  # noqa: F401  (registers the <text:> path converter)

from . import views

app_name = "events"

urlpatterns = [
    path("arrangementer/", views.event_list, name="list"),
    path("arrangementer/ny/", views.event_create, name="create"),
    path("arrangementer/<int:event_id>/", views.event_detail, name="detail"),
    path("arrangementer/<int:event_id>.ics", views.event_ics, name="ics"),
    path("arrangementer/<int:event_id>/rediger/", views.event_edit, name="edit"),
    path("arrangementer/<int:event_id>/historik/", views.event_history, name="history"),
    path("arrangementer/<int:event_id>/aflys/", views.event_cancel, name="cancel"),
    path("arrangementer/<int:event_id>/tilmelding/", views.event_rsvp, name="rsvp"),
    path(
        "arrangementer/<int:event_id>/deltagere.csv",
        views.event_attendees_csv,
        name="attendees_csv",
    ),
    path("arrangementer/<int:event_id>/referat/", views.event_minutes, name="minutes"),
    path(
        "arrangementer/<int:event_id>/send-igen/",
        views.event_invitation_resend,
        name="invitation_resend",
    ),
    path("kalender/<text:token>.ics", views.personal_feed, name="personal_feed"),
    path("kredse/<slug:slug>/kalender.ics", views.circle_feed, name="circle_feed"),
    path(
        "kredse/<slug:slug>/kalender/<text:token>.ics",
        views.circle_feed_by_token,
        name="circle_feed_by_token",
    ),
    path("profil/kalender/", views.calendar_token, name="calendar_token"),
]

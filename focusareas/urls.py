from django.urls import path

import core.inputs  # noqa: F401  (registers the <text:> path converter)

from . import views

app_name = "focusareas"

urlpatterns = [
    path("fokusomraader/", views.focusarea_list, name="list"),
    path("fokusomraader/ny-periode/", views.strategy_period_create, name="period_create"),
    path("fokusomraader/<slug:slug>/", views.focusarea_detail, name="detail"),
    path("fokusomraader/<slug:slug>/rediger/", views.focusarea_edit, name="edit"),
    path("fokusomraader/<slug:slug>/historik/", views.focusarea_history, name="history"),
    path(
        "fokusomraader/<slug:slug>/historik/<int:number>/gendan/",
        views.focusarea_restore,
        name="restore",
    ),
    path("fokusomraader/<slug:slug>/foelg/", views.focusarea_follow, name="follow"),
    path("bidrag/", views.contribution_list, name="contribution_list"),
    path("bidrag/ny/", views.contribution_create, name="contribution_create"),
    path("bidrag/tag-forslag/", views.tag_suggestions, name="tag_suggestions"),
    path("bidrag/<int:contribution_id>/", views.contribution_detail, name="contribution_detail"),
    path(
        "bidrag/<int:contribution_id>/rediger/", views.contribution_edit, name="contribution_edit"
    ),
    path(
        "bidrag/<int:contribution_id>/slet/", views.contribution_delete, name="contribution_delete"
    ),
    path(
        "bidrag/<int:contribution_id>/traek-tilbage/",
        views.contribution_withdraw,
        name="contribution_withdraw",
    ),
    path("bidrag/<int:contribution_id>/skjul/", views.contribution_hide, name="contribution_hide"),
    path("bidrag/<int:contribution_id>/kommentarer/", views.comment_create, name="comment_create"),
    path("kommentarer/<int:comment_id>/rediger/", views.comment_edit, name="comment_edit"),
    path("kommentarer/<int:comment_id>/slet/", views.comment_delete, name="comment_delete"),
    path("kommentarer/<int:comment_id>/skjul/", views.comment_hide, name="comment_hide"),
    path("tags/<text:slug>/", views.tag_detail, name="tag_detail"),
    path("tags/<text:slug>/foelg/", views.tag_follow, name="tag_follow"),
    path("profil/notifikationer/", views.notification_settings, name="notifications"),
]

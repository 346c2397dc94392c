from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("dokumenter/<int:document_id>/", views.document_download, name="download"),
    path("dokumenter/<int:document_id>/versioner/", views.document_versions, name="versions"),
    path(
        "dokumenter/<int:document_id>/versioner/<int:version_id>/",
        views.document_version_download,
        name="version",
    ),
    path("dokumenter/<int:document_id>/slet/", views.document_delete, name="delete"),
    path("arrangementer/<int:event_id>/dokumenter/ny/", views.document_upload, name="upload"),
]

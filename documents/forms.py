from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import OneLineField

from .validators import validate_document_file

ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
FILE_HELP = _("PDF, Word, Excel or PowerPoint, at most 20 MB.")


def document_file_field() -> forms.FileField:
    """The file of a document: checked by its content (documents/validators.py)."""
    return forms.FileField(
        label=_("File"),
        help_text=FILE_HELP,
        validators=[validate_document_file],
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


class DocumentUploadForm(forms.Form):
    """A new document of an event: its title and its first file."""

    title = OneLineField(label=_("Title"), max_length=200)
    file = document_file_field()


class DocumentReplaceForm(forms.Form):
    """A new version of a document; the earlier ones are kept."""

    file = document_file_field()


class DocumentDeleteForm(forms.Form):
    """Confirms the deletion of a document and all its versions."""

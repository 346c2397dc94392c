from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.inputs import OneLineField

from .validators import max_upload_bytes, validate_document_file

ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"


def _file_help() -> str:
    return gettext("PDF, Word, Excel or PowerPoint, at most %(limit)s.") % {
        "limit": filesizeformat(max_upload_bytes())
    }


# Said when shown, in the reader's language, with the limit the settings give.
FILE_HELP = lazy(_file_help, str)()


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

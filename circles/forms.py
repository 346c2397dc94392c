from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import DirectorySearchForm

from .models import Circle


class CircleDirectorySearchForm(DirectorySearchForm):
    """members' directory search, with the choice of a circle."""

    circle = forms.ModelChoiceField(
        label=_("Circle"),
        queryset=Circle.objects.all(),
        required=False,
        empty_label=_("All circles"),
        to_field_name="slug",
    )

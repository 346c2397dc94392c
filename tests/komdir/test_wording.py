"""Every message a member or an admin sees reads as the portal's Danish: the libraries'
messages re-worded in the portal's catalog (komdir/wording.py), and no English label
left in the admin."""

import ast
import gettext
from pathlib import Path

import allauth
import pytest
import taggit
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from komdir import wording
from members.models import Member
from tests.members.factories import MemberFactory

# Words Danish writes as English does.
SAME_IN_BOTH_LANGUAGES = {
    "administrator",
    "HTML",
    "invitation",
    "Message-ID",
    "region",
    "slug",
    "status",
    "tag",
    "tags",
    "type",
}


def _library_danish(package) -> gettext.GNUTranslations:
    path = Path(package.__file__).parent / "locale" / "da" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as catalog:
        return gettext.GNUTranslations(catalog)


def _listed(list_name: str) -> list[tuple[str, str | None]]:
    """The (msgid, plural msgid) of each message in a list of komdir/wording.py, read
    from the source as makemessages reads it."""
    tree = ast.parse(Path(wording.__file__).read_text(encoding="utf-8"))
    (listed,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and node.targets[0].id == list_name
    ]
    return [
        (call.args[0].value, call.args[1].value if call.func.id == "ngettext_lazy" else None)
        for call in listed.elts
    ]


@pytest.mark.parametrize(
    ("list_name", "package"), [("ALLAUTH_MESSAGES", allauth), ("TAGGIT_MESSAGES", taggit)]
)
def test_each_reworded_message_is_still_one_of_the_librarys_and_reads_as_the_portal_words_it(
    list_name, package
):
    library = _library_danish(package)
    listed = _listed(list_name)
    assert len(listed) == len(getattr(wording, list_name))
    known = {key if isinstance(key, str) else key[0] for key in library._catalog}
    gone = [msgid for msgid, _plural in listed if msgid not in known]
    assert gone == [], "no longer a message of the library: remove or update"
    with translation.override("da"):
        for msgid, plural in listed:
            if plural is None:
                ours, theirs = translation.gettext(msgid), library.gettext(msgid)
            else:
                ours = translation.ngettext(msgid, plural, 2)
                theirs = library.ngettext(msgid, plural, 2)
            assert ours != msgid or msgid in SAME_IN_BOTH_LANGUAGES, msgid
            assert ours != theirs or theirs == msgid, f"{msgid!r} reads as the library's own"


@pytest.mark.django_db
def test_signing_in_says_so_in_plain_danish(client):
    member = MemberFactory(password="Sikker-Adgang-2025")
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "Sikker-Adgang-2025"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="da",
    )
    content = response.content.decode()
    assert "Du er logget ind som" in content
    assert "succesfuldt" not in content


def _admin_labels(language: str) -> dict[tuple[str, str], str]:
    """What the admin shows of every registered model: its names, its app's, the list's
    column headers, filter titles and actions."""
    request = RequestFactory().get("/")
    request.user = Member(is_superuser=True, is_staff=True, is_active=True)
    labels = {}
    with translation.override(language):
        for model, model_admin in admin.site._registry.items():
            name = model._meta.label
            labels[name, "name"] = str(model._meta.verbose_name)
            labels[name, "plural"] = str(model._meta.verbose_name_plural)
            labels[name, "app"] = str(model._meta.app_config.verbose_name)
            for column in model_admin.get_list_display(request):
                if column != "__str__":
                    labels[name, f"column {column}"] = str(
                        label_for_field(column, model, model_admin)
                    )
            for list_filter in model_admin.get_list_filter(request):
                if isinstance(list_filter, type):
                    labels[name, f"filter {list_filter.__name__}"] = str(list_filter.title)
                else:
                    field = list_filter[0] if isinstance(list_filter, tuple) else list_filter
                    labels[name, f"filter {field}"] = str(
                        label_for_field(field.split("__")[0], model, model_admin)
                    )
            for action, (_function, _name, description) in model_admin.get_actions(request).items():
                labels[name, f"action {action}"] = str(description)
    return labels


def test_the_admin_shows_no_english_label_in_danish():
    danish, english = _admin_labels("da"), _admin_labels("en")
    untranslated = {
        place: label
        for place, label in danish.items()
        if label == english[place] and label not in SAME_IN_BOTH_LANGUAGES and "%" not in label
    }
    assert untranslated == {}

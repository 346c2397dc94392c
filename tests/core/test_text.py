import pytest

from core.text import danish_ascii, danish_slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Klima og grøn omstilling", "klima-og-groen-omstilling"),
        ("Kredsmøde om ældreplejen", "kredsmoede-om-aeldreplejen"),
        ("Årsberetning Å/Æ/Ø", "aarsberetning-aaaeoe"),
        ("Café-møde", "cafe-moede"),
    ],
)
def test_danish_letters_are_written_out_in_slugs(text, slug):
    assert danish_slugify(text) == slug


def test_ascii_keeps_the_case_of_each_letter():
    assert danish_ascii("Øster Åby Ærø") == "Oester Aaby Aeroe"


@pytest.mark.django_db
def test_a_new_focus_area_and_an_attendee_list_keep_their_danish_letters(client):
    from focusareas.services.areas import _unique_focus_area_slug

    assert _unique_focus_area_slug("Klima og grøn omstilling", "2026-2028") == (
        "klima-og-groen-omstilling"
    )

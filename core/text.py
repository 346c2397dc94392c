"""Danish letters in addresses and file names: written out as the association's own
addresses write them (æ → ae, ø → oe, å → aa), never dropped."""

from django.utils.text import slugify

DANISH_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "é": "e", "É": "E"}
)


def danish_ascii(text: str) -> str:
    """The text with its Danish letters written out in ASCII ("Grøn" → "Groen")."""
    return str(text).translate(DANISH_LETTERS)


def danish_slugify(text: str) -> str:
    """A slug of the text with its Danish letters written out: "Klima og grøn omstilling"
    → "klima-og-groen-omstilling" (Django's slugify alone drops them: "grn")."""
    return slugify(danish_ascii(text))

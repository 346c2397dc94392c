"""Danish full-text search, the same on both databases.

PostgreSQL stems with its `danish` configuration (Snowball's Danish stemmer and stop
words). SQLite has no Danish tokenizer, and Python's sqlite3 cannot register one for
FTS5, so the embedded default stores text already stemmed here, by the same Snowball
algorithm (PyPI `snowballstemmer`) and PostgreSQL's own stop-word list
(core/data/danish.stop), in an FTS5 table. Both match each query word's stem as a
prefix, so that "plejecenter" (stem "plejecent") also finds "plejecentrene" ("plejecentr"),
an inflection the stemmer alone leaves apart."""

import re
import threading
from functools import cache
from pathlib import Path

import snowballstemmer

# Letters and digits; an underscore or a hyphen separates words as PostgreSQL's parser does.
WORD = re.compile(r"[^\W_]+")
# A pasted essay stays a cheap query.
MOST_QUERY_WORDS = 8
# Shorter words are matched whole: "s" from "Holbæk's" as a prefix would match half the text.
SHORTEST_PREFIX = 3

_local = threading.local()


@cache
def danish_stop_words() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "danish.stop"
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )


def _stem(word: str) -> str:
    # A Snowball stemmer keeps state while it works: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("danish")
    return stemmer.stemWord(word)


def danish_words(text: str) -> list[str]:
    """The text's words, lower-cased, without Danish stop words."""
    stop_words = danish_stop_words()
    return [word for word in WORD.findall(text.lower()) if word not in stop_words]


def danish_stems(text: str | None) -> str:
    """The text's Danish stems separated by spaces, as the SQLite search table stores them."""
    return " ".join(_stem(word) for word in danish_words(text or ""))


def query_words(query: str) -> list[str]:
    """The words of a search query that can match: no stop words, at most MOST_QUERY_WORDS."""
    return danish_words(query)[:MOST_QUERY_WORDS]


def postgresql_prefix_query(words: list[str]) -> str:
    """A to_tsquery('danish', …) text matching every word's stem as a prefix. The words
    are letters and digits only (WORD), so nothing in them is tsquery syntax."""
    return " & ".join(f"{word}:*" if len(word) >= SHORTEST_PREFIX else word for word in words)


def sqlite_prefix_query(words: list[str]) -> str:
    """An FTS5 MATCH text matching every word's stem as a prefix."""
    return " ".join(
        f'"{_stem(word)}"*' if len(word) >= SHORTEST_PREFIX else f'"{_stem(word)}"'
        for word in words
    )


def register_sqlite_functions(sqlite_connection) -> None:
    """Let SQL on this SQLite connection (the search table's triggers) stem Danish text."""
    sqlite_connection.create_function("komdir_danish_stems", 1, danish_stems, deterministic=True)

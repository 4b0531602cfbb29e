"""Alphabetical order of names as a reader of the page's language expects it: Kazakh and
Russian names in their alphabets' order, Latin names without regard to accents, all without
regard to case.

A letter table and not a library: PyICU collates Kazakh correctly but needs libicu-dev and a
compiler here and in the Dockerfile; pyuca (pure Python) follows the Unicode default order
(DUCET), which puts І after И, Ү before Ұ and Ё among the Е words, where the Kazakh alphabet
has І after Ы, Ұ before Ү and Ё as a letter after Е. The Russian alphabet is the Kazakh one
without its nine letters, in the same order, so one table orders both languages.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# The Kazakh alphabet in Cyrillic (lower case), as taught and as in its dictionaries.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_CYRILLIC = {letter: rank for rank, letter in enumerate(KAZAKH_ALPHABET)}
# What comes first: spaces and punctuation, digits, Latin letters, Cyrillic, anything else.
_MARK, _DIGIT, _LATIN, _CYRILLIC_LETTER, _OTHER = range(5)

Key = tuple[tuple[tuple[int, int], ...], str]


@lru_cache(maxsize=4096)
def sort_key(text: str) -> Key:
    """The key ordering `text` among names (of any of the interface languages): letter by
    letter by the table, then, for names equal but in case or accents, as written."""
    return tuple(_letter(letter) for letter in unicodedata.normalize("NFC", text).casefold()), text


def _letter(letter: str) -> tuple[int, int]:
    rank = _CYRILLIC.get(letter)
    if rank is not None:
        return _CYRILLIC_LETTER, rank
    base = unicodedata.normalize("NFD", letter)[0]  # é -> e, ü -> u
    if base.isdigit():
        return _DIGIT, ord(base)
    if "a" <= base <= "z":
        return _LATIN, ord(base)
    if not base.isalpha():
        return _MARK, ord(base)
    return _OTHER, ord(base)

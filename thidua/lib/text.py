"""Vietnamese text helpers: diacritic-free folding for search and the Vietnamese sort order for names."""

from __future__ import annotations

import functools
import re
import unicodedata

# Vietnamese alphabet order (29 letters); f, j, w, z appear in foreign names and sort as in Latin.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i + 11 for i, ch in enumerate(_ALPHABET)}  # two digits each: 11..44
# Tone marks: no mark < huyền < hỏi < ngã < sắc < nặng (the order used by Vietnamese dictionaries).
_TONES = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}
# Marks that make a distinct letter rather than a tone.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


_COMBINING_BMP = {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}
# Names of the Central Highlands carry an apostrophe (H'Hen Niê, Ea H'leo, Cư M'gar), typed in several
# forms: folding makes them one.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u0060\u00b4\u2032", "'"))


def fold(value: str) -> str:
    """Lower case, no diacritics, đ → d, one kind of apostrophe, single spaces: 'Nguyễn  Văn Ấn' →
    'nguyen van an', 'H’Hen Niê' → "h'hen nie"."""
    lowered = value.lower().replace("đ", "d").replace("Đ", "d").translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = decomposed.translate(_COMBINING_BMP)
    if stripped and max(stripped) > "\uffff":  # a mark outside the BMP (rare): character by character
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def query_words(text: str) -> list[str]:
    """The words of a search query, folded, punctuation dropped."""
    return re.findall(r"\w+", fold(text))


def matches_words(folded: str, words: list[str]) -> bool:
    """True when each query word starts a word of `folded` (the in-memory twin of the SQL search)."""
    haystack = re.findall(r"\w+", folded)
    return all(any(w.startswith(q) for w in haystack) for q in words)


_NAME_WORD = re.compile(r"\w+(?:'\w+)*")


def name_words(text: str) -> list[str]:
    """The words of a name search, folded; an apostrophe stays inside its word ("h'hen")."""
    return _NAME_WORD.findall(fold(text))


def name_word_forms(word: str) -> list[str]:
    """A typed word and, typed without its apostrophe, the same with one after the first letter, where
    names of the Central Highlands have it ("hhen" → "h'hen", "ksor" → "k'sor")."""
    if "'" in word or len(word) < 3 or not word[0].isalpha():
        return [word]
    return [word, f"{word[0]}'{word[1:]}"]


def name_word_pattern(word: str, *, whole: bool = False) -> str:
    """A regular expression, read alike by Python and PostgreSQL, for a word of a folded name that
    starts with `word` (or is `word`, if `whole`): at the start or after anything but a letter or a
    digit (a space, an apostrophe, a hyphen), so that "hen", "h'hen" and "hhen" all find "h'hen nie"."""
    forms = "|".join(name_word_forms(word))
    return f"(^|[^a-z0-9])({forms})" + ("($|[^a-z0-9])" if whole else "")


_SEARCH_TOKEN = re.compile(r"[a-z0-9]+")


def name_search_tokens(word: str) -> list[str] | None:
    """The full-text tokens of a word of `name_words` (PostgreSQL's `name_search` column, migration
    org/0009): the word without apostrophes, split on anything but letters and digits ("h'hen" →
    ["hhen"]). None when it holds a character outside a-z and 0-9 (a foreign letter the folding kept):
    the caller matches that word with `name_word_pattern` instead. Only these tokens ever reach
    `to_tsquery`, so nothing typed can be read as one of its operators."""
    parts = re.split(r"[\W_]+", word.replace("'", ""))
    tokens = [part for part in parts if part]
    if not tokens or not all(_SEARCH_TOKEN.fullmatch(token) for token in tokens):
        return None
    return tokens


def matches_name(folded: str, words: list[str]) -> bool:
    """True when each of `words` (from `name_words`) starts a word of `folded` (the in-memory twin of
    the SQL search of `thidua.org.models`)."""
    return all(re.search(name_word_pattern(w), folded) for w in words)


def _letters(word: str) -> list[tuple[str, int]]:
    """Split a word into (base letter of the Vietnamese alphabet, tone) pairs."""
    result: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if not result:
                continue
            base, tone = result[-1]
            if (base, ch) in _LETTER_MARKS:
                result[-1] = (_LETTER_MARKS[(base, ch)], tone)
            elif ch in _TONES:
                result[-1] = (base, _TONES[ch])
            continue
        result.append(("đ" if ch == "đ" else ch, 1))
    return result


_ASCII_RANK = {ch: f"{_LETTER_RANK.get(ch, 99 if ch.isalpha() else 10):02d}" for ch in map(chr, range(128))}


@functools.lru_cache(maxsize=65536)  # names repeat their words: an import of 100,000 people reuses them
def _word_key(word: str) -> tuple[str, str]:
    if word.isascii():  # no marks, no tones (and nothing for NFD to split): letter by letter
        lower = word.lower()
        return "".join(map(_ASCII_RANK.__getitem__, lower)), "1" * len(lower)
    letters = _letters(word)
    primary = "".join(f"{_LETTER_RANK.get(base, 99 if base.isalpha() else 10):02d}" for base, _ in letters)
    tones = "".join(str(tone) for _, tone in letters)
    return primary, tones


def split_name(full_name: str) -> tuple[str, str]:
    """('Nguyễn Văn', 'An') for 'Nguyễn Văn An': the given name is the last word."""
    words = nfc(full_name).split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """A string key that sorts names the Vietnamese way: given name first, then family and middle names,
    letters in Vietnamese alphabetical order (a ă â b c d đ e ê …), tones only breaking ties.

    The key holds digits only, so any database collation orders it like the binary order.
    """
    return _sort_key(nfc(full_name).split())


def _sort_key(words: list[str]) -> str:
    keys = [_word_key(w) for w in (words[-1:] + words[:-1])]
    primary = "00".join(k[0] for k in keys)
    tones = "".join(k[1] for k in keys)
    return f"{primary}000{tones}"[:250]


_fold_word = functools.lru_cache(maxsize=65536)(fold)  # a word folds alone as inside a name


def name_columns(full_name: str) -> tuple[str, str, str]:
    """The name cleaned (NFC, single spaces), folded (`fold`) and its `name_sort_key`, word by word with
    cached words: what a person's `derive_fields` stores, fast enough for 100,000 names at once."""
    words = nfc(full_name).split()
    return " ".join(words), " ".join(filter(None, map(_fold_word, words))), _sort_key(words)


def excerpt(value: object, limit: int = 60) -> str:
    """At most `limit` characters of a value, spaces folded, for messages (a huge cell is never echoed)."""
    text = "" if value is None else str(value)
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_YAML_NODES = 200_000


def load_untrusted_yaml(text: str) -> object:
    """YAML (or JSON) typed or uploaded by someone: safe types only, no anchors/aliases (`&a` … `*a`
    would let a few lines expand into billions of values once copied), at most MAX_YAML_NODES values.
    Raises ValueError with a Vietnamese message; yaml.YAMLError for a syntax error."""
    import yaml

    for nodes, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader), start=1):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ValueError("không dùng tham chiếu YAML (& và *): hãy viết đầy đủ từng giá trị")
        if nodes > MAX_YAML_NODES:
            raise ValueError(f"nội dung quá lớn (hơn {MAX_YAML_NODES} giá trị)")
    return yaml.safe_load(text)

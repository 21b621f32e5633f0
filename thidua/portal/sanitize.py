"""The safe formatted-text subset of articles: an allow-list of tags and attributes, enforced on
the server (nh3, the Rust `ammonia` sanitiser) whatever the browser sent.

Officers write paragraphs as plain text (a blank line between paragraphs) or with the few tags of
the editor's toolbar. Kept: paragraphs, line breaks, bold, italic, underline, headings h2-h4,
lists, quotations, tables, horizontal rules, links (http, https, mailto, or a page of this site)
and pictures uploaded to the article itself. Everything else (scripts, styles, event handlers,
frames, forms, outside pictures that would track readers) is dropped.
"""

from __future__ import annotations

import re
from html import escape, unescape

import nh3

from thidua.lib.text import fold

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
IMAGE_SRC = re.compile(r"^/anh/(\d+)/$")
MAX_BODY = 100_000  # characters of the sanitised body
_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(r"<\s*(p|h[1-6]|ul|ol|blockquote|table|figure|hr)\b", re.IGNORECASE)
_EMPTY_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if IMAGE_SRC.match(value) else None
    if tag == "a" and attribute == "href":
        return (
            value
            if value.startswith(("http://", "https://", "mailto:", "/")) and not value.startswith("//")
            else None
        )
    if attribute in ("width", "height", "colspan", "rowspan"):
        return value if value.isdigit() and 0 < int(value) <= 4000 else None
    return value


def paragraphs(text: str, *, escaped: bool = True) -> str:
    """Text without block tags as HTML paragraphs: a blank line separates them, a single line break
    stays one. `escaped=False` keeps inline tags for the sanitiser to judge."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return "".join("<p>" + (escape(b) if escaped else b).replace("\n", "<br>") + "</p>" for b in blocks)


def clean_body(text: str) -> str:
    """The article body as stored and shown: sanitised HTML (plain text becomes paragraphs)."""
    if not _TAG.search(text):
        source = paragraphs(text)
    elif not _BLOCK.search(text):
        source = paragraphs(text, escaped=False)
    else:
        source = text
    cleaned = nh3.clean(
        source,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _EMPTY_IMG.sub("", cleaned).strip()


def image_ids(html: str) -> set[int]:
    """Ids of the pictures an (already sanitised) body shows."""
    return {int(m) for m in re.findall(r'<img[^>]*\ssrc="/anh/(\d+)/"', html)}


def plain_text(html: str) -> str:
    """The words of a body, without tags (for search and the feed's summary)."""
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def folded_text(*parts: str) -> str:
    """Diacritic-free, lower-case words without punctuation, for search ('Chiến sĩ (CSTĐ)' →
    'chien si cstd')."""
    return " ".join(re.findall(r"\w+", fold(" ".join(parts))))

"""The record: what one page yields, in the order the public interface prints it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

# The keys of a record, in the order `extract` and `export` print them (see README).
RECORD_KEYS: tuple[str, ...] = (
    "source",
    "url",
    "canonical_url",
    "page_type",
    "headline",
    "byline",
    "authors",
    "published",
    "modified",
    "body",
    "paragraphs",
    "author_bios",
    "language",
    "site_name",
    "description",
    "section",
    "tags",
    "image",
    "word_count",
    "content_hash",
    "provenance",
    "error",
)

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class AuthorBio:
    """An author box: who wrote the piece, their role, a short biography, a profile link."""

    name: str
    role: str | None = None
    bio: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Article:
    """One extracted page. Lists are tuples so a record can be hashed and shared safely."""

    source: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    # "article", "listing" (home page, section, tag page) or "unknown" (nothing readable)
    page_type: str = "article"
    headline: str | None = None
    byline: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    paragraphs: tuple[str, ...] = ()
    author_bios: tuple[AuthorBio, ...] = ()
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def body(self) -> str | None:
        """The paragraphs joined by a blank line, or None when there are none."""
        return "\n\n".join(self.paragraphs) or None

    @property
    def word_count(self) -> int:
        return sum(len(_WORD.findall(p)) for p in self.paragraphs)

    @property
    def content_hash(self) -> str | None:
        return content_hash(self.body)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data, keys in RECORD_KEYS order."""
        values = asdict(self)
        values["authors"] = list(self.authors)
        values["paragraphs"] = list(self.paragraphs)
        values["tags"] = list(self.tags)
        values["author_bios"] = [asdict(b) for b in self.author_bios]
        values["body"] = self.body
        values["word_count"] = self.word_count
        values["content_hash"] = self.content_hash
        values["provenance"] = dict(self.provenance)
        return {key: values[key] for key in RECORD_KEYS}


def normalise_text(text: str) -> str:
    """Case-folded, whitespace-collapsed text: what two copies of one story share."""
    return _SPACE.sub(" ", text).strip().casefold()


def content_hash(body: str | None) -> str | None:
    """SHA-256 of the normalised body, so whitespace or case changes do not count as edits."""
    if not body:
        return None
    return hashlib.sha256(normalise_text(body).encode("utf-8")).hexdigest()

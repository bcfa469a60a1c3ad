"""Editor's notes after the story: paragraphs set wholly in italics at its end.

Newsrooms set what is about the story rather than the story itself in italics under its last
paragraph: who the writers are ("Jane Doe is a senior researcher at ..."), where it first ran
("First published in The Conversation"), where to read more ("Latest news in our live blog:"),
corrections and disclaimers. The convention is the markup: a paragraph whose only content is
one <em> or <i>. Italic paragraphs within the story (a quoted letter, a scene) are followed by
more of the story, so only the closing run is dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from selectolax.lexbor import LexborNode

_ITALIC = frozenset({"em", "i"})
# The closing run is this many notes at most, each this long at most, and leaves this many
# paragraphs of story before it.
MAX_NOTES = 3
MAX_NOTE_CHARS = 400
MIN_STORY_LEFT = 3


def is_note(node: LexborNode | None) -> bool:
    """A paragraph whose whole text sits in one italic element."""
    if node is None or node.tag != "p":
        return False
    italic = None
    child = node.child
    while child is not None:
        if child.is_element_node:
            if child.tag not in _ITALIC or italic is not None:
                return False
            italic = child
        elif child.is_text_node and (child.text_content or "").strip():
            return False
        child = child.next
    return italic is not None


def closing_notes(paragraphs: list[str], notes: list[bool]) -> int:
    """How many paragraphs at the end are the closing run of editor's notes (0 when the run is
    too long or leaves too little story: then the italics are the story's own)."""
    run = 0
    while run < len(notes) and notes[-1 - run]:
        run += 1
    if not run or run > MAX_NOTES or len(paragraphs) - run < MIN_STORY_LEFT:
        return 0
    if any(len(p) > MAX_NOTE_CHARS for p in paragraphs[-run:]):
        return 0
    return run


# The note on who wrote the story, set in plain type: one of the page's authors, named first,
# then "is", "ist", "est" ("Jane Doe is a senior researcher at ..."). Looked for among the
# story's last paragraphs; it and the short lines after it (its continuation, the page's
# closing lines) are not the story.
BIO_WINDOW = 5
MAX_BIO_CHARS = 400
_COPULA = re.compile(
    r"^[\s,]*(?:\([^)]{0,40}\)\s*)?(?:is|was|has been|ist|war|est|était|es|era|è|é|foi|jest|"
    r"był|była|je|byl|byla|är|var|er|zijn|werkt|works|writes|schreibt|écrit|escribe)\b",
    re.IGNORECASE,
)


def closing_bio(paragraphs: list[str], authors: Sequence[str]) -> int:
    """How many paragraphs at the end are an author's note and what follows it (0 when none,
    or when a long paragraph follows: then the story goes on)."""
    names = [n.casefold() for n in authors if len(n.split()) >= 2]
    if not names:
        return 0
    start = max(1, len(paragraphs) - BIO_WINDOW)
    for i in range(start, len(paragraphs)):
        folded = paragraphs[i].casefold()
        name = next((n for n in names if folded.startswith(n)), None)
        if name is not None and _COPULA.match(paragraphs[i][len(name) :]):
            if all(len(p) <= MAX_BIO_CHARS for p in paragraphs[i:]):
                return len(paragraphs) - i
            return 0
    return 0

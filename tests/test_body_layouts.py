"""Body extraction on layouts without the usual markup: paragraphs as divs, spans, <br> lines."""

from __future__ import annotations

from tests.test_body import PROSE, body, page, paras

OTHER = [
    "Sign up to our weekly letter and get the best stories of the week in your inbox.",
    "We never share your address with anyone and you can leave the list at any time.",
]


def test_paragraphs_written_as_divs_holding_spans_are_the_story() -> None:
    # Each paragraph is a div whose words sit in a span (component frameworks write so): the
    # div holds no text of its own, yet it is a paragraph, and outvotes a box of two <p>s.
    story = "".join(f"<div><span>{p}</span></div>" for p in PROSE)
    other = "".join(f"<p>{p}</p>" for p in OTHER)
    html = page(f'<div class="k1"><h1>Bridge closes</h1><div class="k2">{story}</div></div>')
    html = html.replace("</body>", f'<div class="k3">{other}</div></body>')
    assert body(html) == PROSE


def test_an_element_hidden_with_spaces_around_the_colon_is_not_read() -> None:
    html = page(
        '<article><h1>Bridge closes</h1><div style="display : none">US-Bridge, 2nd Ld</div>'
        f"{paras(PROSE)}</article>"
    )
    assert body(html) == PROSE


def test_blocks_in_repeated_wrappers_are_read_whole() -> None:
    # Each block of the story sits in an unclassed div (lines split by <br>) inside a wrapper
    # whose class repeats: the longest block alone is not the story, its wrapper's twins are.
    lines = [f"Witness number {n} told the inquiry what happened on the bridge." for n in range(11)]
    blocks = ["<br><br>".join(lines[:5]), *("<br><br>".join(lines[i : i + 2]) for i in (5, 7, 9))]
    wrapped = "".join(f'<div class="k7"><div>{b}</div></div>' for b in blocks)
    assert body(page(f"<div><h1>Bridge closes</h1>{wrapped}</div>")) == lines


def test_a_sentence_opening_with_a_link_is_the_story_s() -> None:
    # Mostly link text, but the words between the links make a sentence of them, unlike a menu.
    first = (
        '<p><a href="/people/jane-doe">Jane Doe of Harbour Town</a> was voted off '
        '“<a href="/tv/bridge-builders">The Great Bridge Builders Show</a>.”</p>'
    )
    html = page(f"<article><h1>Bridge closes</h1>{first}{paras(PROSE)}</article>")
    sentence = "Jane Doe of Harbour Town was voted off “The Great Bridge Builders Show.”"
    assert body(html) == [sentence, *PROSE]


def test_a_line_of_links_with_separators_is_still_a_menu() -> None:
    menu = '<p><a href="/a">Bridges and roads</a> | <a href="/b">Ferries and trains</a>.</p>'
    html = page(f"<article><h1>Bridge closes</h1>{menu}{paras(PROSE)}</article>")
    assert body(html) == PROSE


def test_blocks_each_in_a_wrapper_of_their_own_are_read_whole() -> None:
    # The story's blocks differ in class, each sits alone in an unclassed wrapper, with an
    # empty ad slot between: the wrappers beside the top block's wrapper continue the story.
    lines = [
        f"Witness number {n}, a ferry pilot, told the inquiry what happened on the bridge that "
        "night, and what the crew did next."
        for n in range(11)
    ]

    def block(cls: str, part: list[str]) -> str:
        return f'<div><div class="{cls}">{paras(part)}</div></div><div class="k0"></div>'

    story = block("k1", lines[:3]) + block("k2", lines[3:6]) + block("k3", lines[6:])
    assert body(page(f"<div><h1>Bridge closes</h1><div>{story}</div></div>")) == lines


def test_a_story_in_divs_of_br_lines_outvotes_a_box_of_paragraphs() -> None:
    # Each div holds two lines split by <br>s, no <p>: like paragraphs, the lines vote in full
    # for the divs' container, which outweighs a box of three <p>s beside it.
    lines = [
        "The ferry left the harbour at dawn with forty passengers on board, the operator said.",
        "Fog closed in over the strait an hour later and the captain slowed to a crawl.",
        "Coastguards met the ship outside the port and guided it in through the breakwater.",
        "Nobody was hurt, and the crossing resumed in the afternoon once the fog had lifted.",
        "The operator said it would review how its crews are warned of fog in the strait.",
        "Passengers were offered a refund or a free crossing on any day before the end of June.",
    ]
    other = [
        "The museum by the old quay reopens next week, its new wing given over to the ferries.",
        "Its model of the first paddle steamer, restored over the winter, has a room of its own.",
        "Entry stays free for children, and the café on the roof opens at ten every morning.",
    ]
    story = "".join(f"<div>{lines[i]}<br><br>{lines[i + 1]}</div>" for i in (0, 2, 4))
    html = page(
        f'<div><h1>Fog on the strait</h1><div class="k2">{story}</div></div>'
        f'<div class="k3">{paras(other)}</div>'
    )
    assert body(html) == lines

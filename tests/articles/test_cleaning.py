"""Tests for kg.articles.cleaning: Markdown and plain text to clean paragraphs, boilerplate dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.articles.cleaning import clean_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "articles"


# --------------------------------------------------------------------------------------------
# Cleanup


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**Google's Gemini** is *new*.", "Google's Gemini is new."),
        ("__Anthropic__ and _Claude_ shipped.", "Anthropic and Claude shipped."),
        ("***Both*** at once.", "Both at once."),
        ("Use `gpt-oss-20b` locally.", "Use gpt-oss-20b locally."),
        ("Keep `**kwargs` literal.", "Keep **kwargs literal."),
        ("snake_case_name and min_p and Q4_K_M stay.", "snake_case_name and min_p and Q4_K_M stay."),
        ("**truthfulqa_mc2** scores rose.", "truthfulqa_mc2 scores rose."),
        ("2 * 3 * 4 = 24 and a*b*c stay.", "2 * 3 * 4 = 24 and a*b*c stay."),
        ("2**10 is 1024.", "2**10 is 1024."),
        ("An escaped \\*star\\* stays.", "An escaped *star* stays."),
        ("**Unclosed start. Then **Closed pair** here.", "Unclosed start. Then Closed pair here."),
        ('*"A quoted remark,"* she said.', '"A quoted remark," she said.'),
        ("See [the blog](https://example.com/a_(b)) now.", "See the blog now."),
        ("See [the card][1] now.\n\n[1]: https://example.com/card", "See the card now."),
        ("![chart](https://example.com/c.png) Results.", "Results."),
        ("Visit <https://example.com>.", "Visit https://example.com."),
        ("<b>Open</b>AI said<br>hello &amp; bye.", "OpenAI said hello & bye."),
        ("Text<script>alert(1)</script> here.", "Text here."),
        ("A ~~wrong~~ claim.", "A wrong claim."),
        ("A note[^1] here.", "A note here."),
        ("# Heading\nBody line.", "Heading\n\nBody line."),
        ("## Closed heading ##\n\nBody.", "Closed heading\n\nBody."),
        ("#1 in the charts.", "#1 in the charts."),
        ("- one\n- two\n* three\n+ four\n• five", "one\n\ntwo\n\nthree\n\nfour\n\nfive"),
        ("1. first\n2) second", "first\n\nsecond"),
        ("- [x] done item", "done item"),
        ("> Quoted line\n> continues", "Quoted line continues"),
        ("A soft\nwrapped paragraph.", "A soft wrapped paragraph."),
        ("Para one.\n\n\n\nPara two.", "Para one.\n\nPara two."),
        ("Above\n\n---\n\nBelow", "Above\n\nBelow"),
        ("```\ncode_line = 1\n```\nAfter.", "code_line = 1\n\nAfter."),
        ("Runs   of\tspaces\u00a0and\u200bzero-width.", "Runs of spaces andzero-width."),
        ("<!-- hidden -->Visible.", "Visible."),
    ],
)
def test_clean_markdown(markdown: str, expected: str) -> None:
    assert clean_text(markdown) == expected


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("  • First point.\n\n  • Second point.", "First point.\n\nSecond point."),
        ("Keep **stars** and snake_case in plain text.", "Keep **stars** and snake_case in plain text."),
        ("Line one\r\nLine two\rLine three", "Line one\nLine two\nLine three"),
        ("Lots    of   spaces  ", "Lots of spaces"),
        ("A\n\n\n\nB", "A\n\nB"),
        ("Cafe\u0301 au lait", "Café au lait"),  # NFC
        ("Page one.\fPage two.", "Page one.\n\nPage two."),
        ("Para one.\u2029Para two.\u2028Same para.", "Para one.\n\nPara two.\nSame para."),
    ],
)
def test_clean_plain_text(plain: str, expected: str) -> None:
    assert clean_text(plain, markdown=False) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Summary based on 2 sources",
        "Get a daily email with more AI stories",
        "More Stories",
        "Categorized in: AI News IT and Development",
        "Share this article",
        "We use cookies to improve your experience.",
        "Accept all cookies",
        "Advertisement",
        "Subscribe to our newsletter",
        "Related: Another story entirely",
        "© 2025 Example Media",
    ],
)
def test_boilerplate_line_is_removed(line: str) -> None:
    assert clean_text(f"The story itself.\n\n{line}\n\nMore of the story.") == "The story itself.\n\nMore of the story."


@pytest.mark.parametrize(
    "line",
    [
        "Related developments followed in Beijing.",  # starts like a boilerplate line, but is news
        "Analysts shared this article's view.",
        "Meta said more stories would follow.",
        "(c) the company shall report quarterly.",
    ],
)
def test_news_line_resembling_boilerplate_is_kept(line: str) -> None:
    assert line in clean_text(f"The story itself.\n\n{line}")


def test_footer_marker_cuts_the_rest_only_late_in_the_text() -> None:
    body = "\n\n".join(f"Paragraph {n} of the actual article text." for n in range(6))
    late = clean_text(body + "\n\nGet Daily AI News\n\nYour membership also unlocks:\n\n700+ Courses")
    assert late == body
    early = clean_text("Get Daily AI News\n\n" + body)
    assert early == body  # the marker is dropped, but nothing after it


def test_clean_text_is_idempotent_on_prose() -> None:
    once = clean_text((FIXTURES / "open-weights.md").read_text(encoding="utf-8"))
    assert clean_text(once) == once

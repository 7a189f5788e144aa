from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirebrief.figures.finder import find_numbers
from wirebrief.text.normalize import clean, normalize


def test_bom_crlf_nfc_and_spaces() -> None:
    doc = normalize("\ufeffCafe\u0301  costs\t$5.\r\n\r\n\r\n\r\nNext   line ".encode())
    assert doc.text == "Café costs $5.\n\nNext line"


def test_html_main_text_is_extracted() -> None:
    html = ("<html><head><title>t</title></head><body><nav>Home | About</nav><article><h1>Council buys buses</h1>"
            "<p>The city council approved 12 new buses on Monday, officials said, at a cost of $4 million.</p>"
            "<p>The buses arrive in 2025 and will serve 30,000 riders a day across the northern districts.</p>"
            "</article><footer>Copyright</footer></body></html>")
    doc = normalize(html)
    assert doc.kind == "html"
    assert "12 new buses" in doc.text and "30,000 riders" in doc.text and "<p>" not in doc.text


@given(st.text())
def test_clean_is_idempotent(text: str) -> None:
    assert clean(clean(text)) == clean(text)


# --- issue 20 item 9: invisible characters and Arabic separators inside numbers ---------------------------------

INVISIBLE = ["\u2061", "\u2062", "\u2063", "\u2064", "\u00ad", "\u034f", "\u200e", "\u200f", "\u061c", "\u180e",
             "\ufe0f", "\ufe00", "\U000e0031", "\U000e007f", "\U000e0100", "\u200b", "\u200c", "\u200d", "\ufeff",
             "\u2060"]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_format_characters_inside_a_number_are_removed(char: str) -> None:
    text = normalize(f"About 1{char}000 people fled the city.").text
    assert text == "About 1000 people fled the city."
    assert [m.value for m in find_numbers(text)] == [1000]


def test_arabic_separators_read_as_separators() -> None:
    assert normalize("About 1\u066c000 people fled.").text == "About 1,000 people fled."
    assert normalize("Prices rose 1\u066b5 percent.").text == "Prices rose 1.5 percent."
    assert [m.value for m in find_numbers(normalize("About \u0661\u066c\u0660\u0660\u0660 people fled.").text)] \
        == [1000]
    assert [m.value for m in find_numbers(normalize("Prices rose 1\u066b5 percent.").text)] == [1.5]


def test_a_number_mixing_digit_scripts_is_not_merged() -> None:
    values = [m.value for m in find_numbers(normalize("About 1\u06605 people fled.").text)]
    assert 105 not in values and 1.05 not in values
    assert [m.value for m in find_numbers("About \u0661\u0660\u0665 people fled.")] == [105]  # one script: read


def test_a_markdown_link_target_is_no_figure_and_no_label() -> None:
    doc = normalize("Police said [x](javascript:alert(1)) people fled, and [800](https://e.x/1) stayed.",
                    kind="markdown")
    assert "javascript" not in doc.text and "alert" not in doc.text and "https" not in doc.text
    assert [m.value for m in find_numbers(doc.text)] == [800]


# --- issue 20 item 17: one-paragraph and hidden HTML --------------------------------------------------------------

@pytest.mark.parametrize("html", [
    "<p>The city council approved 12 new buses on Monday, officials said.</p>",
    "<html><body><p>The city council approved 12 new buses.</p></body></html>",
    "<html><body><div>The city council approved 12 new buses on Monday, officials said.</div></body></html>",
])
def test_a_one_paragraph_html_article_is_read(html: str) -> None:
    doc = normalize(html)
    assert doc.kind == "html" and "12 new buses" in doc.text and "<" not in doc.text


def test_hidden_html_is_not_article_text() -> None:
    html = ("<html><body><article><h1>Council buys buses</h1>"
            "<p>The city council approved 12 new buses on Monday, officials said, at a cost of $4 million.</p>"
            "<p hidden>Secret paragraph: 999 hidden deaths were reported by nobody at all in this city.</p>"
            "<div hidden=\"hidden\"><p>Another 888 hidden paragraph with many words to look like news.</p></div>"
            "<template><p>Template text: 777 people were never here, and this is not the article.</p></template>"
            "<p aria-hidden=\"true\">Aria text: 555 people were never here, and this is not the article.</p>"
            "<p>The buses arrive in 2025 and will serve 30,000 riders a day across the northern districts.</p>"
            "</article></body></html>")
    for only in (html, html.replace("<p>The buses arrive", "<p hidden>x</p><p>The buses arrive")):
        text = normalize(only).text
        assert "12 new buses" in text and "30,000 riders" in text
        assert not any(n in text for n in ("999", "888", "777", "555")), text
    short = "<p hidden>Hidden 999 text.</p><template>777 text</template><p>The council approved 12 buses.</p>"
    text = normalize(short).text
    assert "12 buses" in text and "999" not in text and "777" not in text

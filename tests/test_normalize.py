from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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

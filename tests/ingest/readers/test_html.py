"""HTML article pages: citation_* meta tags, abstract, body, tables; scripts and nav ignored."""

from __future__ import annotations

from ingest.normalize import normalize
from ingest.readers import html

PAGE = """<!DOCTYPE html>
<html><head>
<meta name="citation_title" content="Alucone films on lithium">
<meta name="citation_author" content="Park, S.">
<meta name="citation_author" content="Cho, M.">
<meta name="citation_publication_date" content="2019/05/02">
<meta name="citation_journal_title" content="Journal of Test Coatings">
<meta name="citation_volume" content="8"><meta name="citation_firstpage" content="77">
<meta name="citation_doi" content="10.5555/HTML.3">
<script>var tracking = "Al2O3 on Na";</script><style>p { color: red }</style>
</head><body>
<nav><p>Home · Journals · Sign in</p></nav>
<article>
 <h1>Alucone films on lithium</h1>
 <p class="byline">S. Park, M. Cho</p>
 <section class="abstract"><h2>Abstract</h2>
  <p>An alucone film of 10&nbsp;nm was grown on Li by MLD at 85&nbsp;&deg;C, cycling at 1&nbsp;mA&nbsp;cm<sup>&minus;2</sup>.</p>
 </section>
 <h2>Results</h2>
 <p>The film lowered the overpotential, as seen before.<sup>1,2</sup> LiPF<sub>6</sub> was used.</p>
 <table><caption>Table 1. Cells.</caption>
  <tr><th>Cell</th><th>Lifetime</th></tr><tr><td>symmetric</td><td>&gt; 500 h</td></tr></table>
 <h2>References</h2>
 <ol><li>Doe, J. A film. J. Test. 2017.</li><li>Roe, R. Another. J. Test. 2018.</li></ol>
</article></body></html>
"""


def test_meta_tags_are_the_metadata() -> None:
    [doc] = html.read("page.html", PAGE.encode())
    m = doc.metadata
    assert (m.title, m.authors, m.year, m.venue) == (
        "Alucone films on lithium",
        ("Park, S.", "Cho, M."),
        2019,
        "Journal of Test Coatings",
    )
    assert (m.volume, m.first_page, m.doi) == ("8", "77", "10.5555/html.3")
    assert doc.format == "html"


def test_body_abstract_table_references() -> None:
    [doc] = html.read("page.html", PAGE.encode())
    text = normalize(doc.text).text
    lines = text.splitlines()
    assert lines[0] == "Alucone films on lithium"
    assert lines[lines.index("Abstract") + 1] == (
        "An alucone film of 10 nm was grown on Li by MLD at 85 °C, cycling at 1 mA cm-2."
    )
    assert "The film lowered the overpotential, as seen before.[1,2] LiPF6 was used." in lines
    at = lines.index("Table 1. Cells.")
    assert lines[at + 1 : at + 3] == ["Cell\tLifetime", "symmetric\t> 500 h"]
    assert lines[-2:] == ["1. Doe, J. A film. J. Test. 2017.", "2. Roe, R. Another. J. Test. 2018."]


def test_scripts_navigation_and_byline_are_left_out() -> None:
    [doc] = html.read("page.html", PAGE.encode())
    assert "tracking" not in doc.text and "Sign in" not in doc.text and "color" not in doc.text
    assert "S. Park, M. Cho" not in doc.text


def test_a_plain_page_without_abstract_or_headings_keeps_its_paragraphs() -> None:
    page = b"<html><body><h1>A note on films</h1><p>We grew ZnO by ALD on Li.</p></body></html>"
    [doc] = html.read("note.htm", page)
    assert doc.text.splitlines()[0] == "A note on films"
    assert "We grew ZnO by ALD on Li." in doc.text.splitlines()


def test_links_into_the_reference_list_are_citations() -> None:
    page = b"""<html><body><h1>Linked citations</h1>
    <div id="abstract"><p>An Al<sub>2</sub>O<sub>3</sub> film on Na.</p></div>
    <h2>Results</h2>
    <p>Films crack <a href="#b1">1</a>, <a href="#b2">2</a>; see <a href="#fig1">Figure 1</a>
    and [<a href="#b2">2</a>].</p>
    <h2>References</h2><ol><li id="b1">Doe, J. 2019.</li><li id="b2">Roe, R. 2020.</li></ol>
    </body></html>"""
    [doc] = html.read("linked.html", page)
    assert "Films crack [1,2]; see Figure 1 and [2]." in doc.text.splitlines()

"""JATS XML: front matter, abstract, sections, tables, references and citations; parsed safely."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize
from ingest.readers import jats
from ingest.records import IngestError

ARTICLE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN" "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
 <front>
  <journal-meta><journal-title-group><journal-title>Test Journal of Films</journal-title></journal-title-group></journal-meta>
  <article-meta>
   <article-id pub-id-type="doi">10.5555/JATS.7</article-id>
   <title-group><article-title>Zincone on sodium by MLD</article-title></title-group>
   <contrib-group>
    <contrib contrib-type="author"><name><surname>Kim</surname><given-names>H.</given-names></name></contrib>
    <contrib contrib-type="author"><name><surname>Lee</surname><given-names>S. J.</given-names></name></contrib>
   </contrib-group>
   <pub-date pub-type="epub"><day>3</day><month>4</month><year>2022</year></pub-date>
   <volume>14</volume><fpage>2201</fpage>
   <abstract><p>We coat Na foil with Al<sub>2</sub>O<sub>3</sub> at 1&#160;mA&#160;cm<sup>&#8722;2</sup>.</p></abstract>
  </article-meta>
 </front>
 <body>
  <sec><title>Introduction</title>
   <p>Earlier films cracked <xref ref-type="bibr" rid="r2">2</xref>; see also <sup><xref ref-type="bibr" rid="r1">1</xref>,<xref ref-type="bibr" rid="r2">2</xref></sup>.</p>
  </sec>
  <sec><title>Results</title>
   <p>See <xref ref-type="table" rid="t1">Table 1</xref>.</p>
   <table-wrap id="t1"><label>Table 1</label><caption><p>Films on Na.</p></caption>
    <table><thead><tr><th>Material</th><th>Thickness (nm)</th></tr></thead>
     <tbody><tr><td>Al<sub>2</sub>O<sub>3</sub></td><td>3</td></tr></tbody></table>
   </table-wrap>
  </sec>
 </body>
 <back><ref-list>
  <ref id="r1"><element-citation><person-group><name><surname>Doe</surname><given-names>John</given-names></name></person-group>
   <article-title>First film</article-title><source>J. Test.</source><year>2019</year><volume>1</volume><fpage>5</fpage>
   <pub-id pub-id-type="doi">10.5555/ref.1</pub-id></element-citation></ref>
  <ref id="r2"><mixed-citation>Roe R. Second film. J. Test. 2020;2:9.</mixed-citation></ref>
 </ref-list></back>
</article>
"""


@pytest.fixture(scope="module")
def doc():
    [d] = jats.read("papers/zincone.xml", ARTICLE.encode())
    return d


def test_front_matter(doc) -> None:
    m = doc.metadata
    assert (m.title, m.authors, m.year) == (
        "Zincone on sodium by MLD",
        ("Kim, H.", "Lee, S. J."),
        2022,
    )
    assert (m.venue, m.volume, m.first_page, m.doi) == (
        "Test Journal of Films",
        "14",
        "2201",
        "10.5555/jats.7",
    )
    assert (doc.doc_id, doc.path, doc.format) == ("zincone", "zincone.xml", "jats")


def test_markup_keeps_its_meaning(doc) -> None:
    text = normalize(doc.text).text
    assert "We coat Na foil with Al2O3 at 1 mA cm-2." in text
    assert "Earlier films cracked [2]; see also [1,2]." in text


def test_sections_tables_references(doc) -> None:
    lines = doc.text.splitlines()
    assert "1. Introduction" in lines and "2. Results" in lines
    at = lines.index("Table 1. Films on Na.")
    assert lines[at + 1 : at + 3] == ["Material\tThickness (nm)", "Al_{2}O_{3}\t3"]
    refs = lines[lines.index("References") + 1 :]
    assert refs[0] == "1. Doe, J. First film. *J. Test.*, **2019**, 1, 5 doi:10.5555/ref.1"
    assert refs[1] == "2. Roe R. Second film. J. Test. 2020;2:9."


def test_entities_declared_in_the_doctype_are_refused() -> None:
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<article><front/></article>'
    with pytest.raises(IngestError, match=r"bomb\.xml: the XML's DOCTYPE declares entities"):
        jats.read("bomb.xml", bomb.encode())


def test_external_entity_is_refused() -> None:
    xxe = '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<article>&x;</article>'
    with pytest.raises(IngestError, match="declares entities"):
        jats.read("xxe.xml", xxe.encode())


def test_not_well_formed_names_the_line() -> None:
    with pytest.raises(IngestError, match=r"bad\.xml: not well-formed XML \(line 2"):
        jats.read("bad.xml", b"<article>\n<front></article>")


def test_other_xml_is_not_jats() -> None:
    with pytest.raises(IngestError, match="not a JATS article"):
        jats.read("feed.xml", b"<rss><channel/></rss>")

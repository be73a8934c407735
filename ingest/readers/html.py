"""HTML article pages: ``citation_*`` meta tags, the abstract, body headings, paragraphs,
``<table>``\\ s and the reference list. Scripts, styles and navigation are ignored.

Parsed with lxml.html (no network, no entity expansion beyond HTML's own named characters);
the page's size is bounded before parsing by the registry's limit.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ingest.readers.checks import decode_text
from ingest.readers.common import clean_doi, file_name, year_of
from ingest.readers.layout import Article, Section, Table, render
from ingest.readers.markup import Special, inline, local
from ingest.records import DocumentMetadata, IngestError, SourceDocument
from ingest.structure import doc_id_for

_HTML = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html|<html[\s>])",
    re.I | re.S,
)
_DROP = (
    "script",
    "style",
    "nav",
    "noscript",
    "form",
    "button",
    "svg",
    "iframe",
    "header",
    "footer",
    "aside",
    "template",
)
_HEADING = frozenset({"h2", "h3", "h4", "h5", "h6"})
_REFERENCES = re.compile(r"(?i)\s*(?:references|bibliography|literature cited)\s*$")


def sniff(head: bytes) -> bool:
    return bool(_HTML.match(head))


def _meta(doc: lxml.html.HtmlElement, *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        for el in doc.iterfind(".//meta"):
            if (el.get("name") or "").lower() == name and (el.get("content") or "").strip():
                values.append(" ".join(el.get("content").split()))
        if values:
            break
    return values


def _metadata(doc: lxml.html.HtmlElement) -> DocumentMetadata:
    def first(*names: str) -> str | None:
        found = _meta(doc, *names)
        return found[0] if found else None

    return DocumentMetadata(
        title=first("citation_title", "dc.title"),
        authors=tuple(_meta(doc, "citation_author", "dc.creator")),
        year=year_of(
            first("citation_publication_date", "citation_date", "citation_online_date", "dc.date")
        ),
        venue=first("citation_journal_title", "citation_conference_title"),
        volume=first("citation_volume"),
        first_page=first("citation_firstpage"),
        doi=clean_doi(first("citation_doi", "dc.identifier")),
    )


def _is_abstract(el: etree._Element) -> bool:
    marks = f"{el.get('id', '')} {el.get('class', '')}".lower()
    return "abstract" in marks and local(el.tag) in ("div", "section", "aside", "p", "blockquote")


def _table(el: etree._Element, special: Special) -> Table:
    caption = el.find(".//caption")
    rows = tuple(
        tuple(inline(cell, special) for cell in tr if local(cell.tag) in ("th", "td"))
        for tr in el.iter("tr")
    )
    return Table(inline(caption, special) if caption is not None else "", rows)


_CITATION_TEXT = re.compile(r"\d{1,4}(?:\s*[,–\-]\s*\d{1,4})*")


def _reference_ids(body: etree._Element) -> set[str]:
    """Ids of the elements under a References heading: the targets of citation links."""
    ids: set[str] = set()
    in_refs = False
    for el in body.iter():
        name = local(el.tag)
        if name in _HEADING:
            in_refs = bool(_REFERENCES.match(el.text_content()))
        elif in_refs and el.get("id"):
            ids.add(el.get("id"))
    return ids


def _citation_links(ref_ids: set[str]) -> Special:
    """``<a href="#ref12">12</a>`` pointing into the reference list → ``[12]``."""

    def special(el: etree._Element, before: str) -> str | None:
        href = el.get("href") or ""
        text = " ".join(el.text_content().split())
        if (
            local(el.tag) == "a"
            and href.startswith("#")
            and href[1:] in ref_ids
            and _CITATION_TEXT.fullmatch(text)
            and not before.rstrip().endswith("[")
        ):
            return f"[{text.replace(' ', '')}]"
        return None

    return special


class _Walker:
    """Collects the page's blocks in document order: sections, references, the abstract."""

    def __init__(self, special: Special) -> None:
        self.special = special
        self.abstract: list[str] = []
        self.sections: list[Section] = []
        self.references: list[str] = []
        self.front: list[str] = []  # paragraphs before the abstract or first heading (byline…)
        self._heading: str | None = None
        self._blocks: list[str | Table] = []
        self._in_refs = False

    def close(self) -> None:
        if self._heading is not None or self._blocks:
            self.sections.append(Section(self._heading, tuple(self._blocks)))
        self._heading, self._blocks = None, []

    def walk(self, el: etree._Element, *, in_abstract: bool = False) -> None:
        for child in el:
            name = local(child.tag)
            if not name or name == "h1":
                continue
            if _is_abstract(child) and not in_abstract:
                self.walk(child, in_abstract=True)
                if not self.abstract and local(child.tag) == "p":
                    self.abstract.append(inline(child, self.special))
            elif name in _HEADING:
                if in_abstract:
                    continue  # the "Abstract" heading itself
                self.close()
                self._heading = " ".join(child.text_content().split())
                self._in_refs = bool(_REFERENCES.match(self._heading))
            elif name == "table":
                if not in_abstract:
                    self._blocks.append(_table(child, self.special))
            elif name in ("p", "li") or (
                name == "div" and not len(child) and (child.text or "").strip()
            ):
                text = inline(child, self.special)
                if in_abstract:
                    self.abstract.append(text)
                elif self._in_refs:
                    self.references.append(re.sub(r"^\s*\[?\d{1,4}[.\]]\s*", "", text))
                elif self.sections or self._heading or self.abstract:
                    self._blocks.append(text)
                else:
                    self.front.append(text)
            else:
                self.walk(child, in_abstract=in_abstract)


def read(name: str, data: bytes) -> list[SourceDocument]:
    """The article on the page, its metadata from the ``citation_*`` meta tags.

    Raises:
        IngestError: the page is empty or unparseable.
    """
    text = decode_text(name, data)
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise IngestError(f"{name}: not a readable HTML page ({e}).") from e
    for el in doc.iter(*_DROP):
        el.drop_tree()
    meta = _metadata(doc)
    body = doc.find(".//article") if doc.find(".//article") is not None else doc.find("body")
    walker = _Walker(_citation_links(_reference_ids(body) if body is not None else set()))
    if body is not None:
        walker.walk(body)
        walker.close()
    if not walker.abstract:
        walker.abstract = _meta(doc, "citation_abstract", "dc.description", "description")[:1]
    if not walker.abstract and not walker.sections:  # a plain page: its paragraphs are the text
        walker.sections = [Section(None, tuple(walker.front))]
    h1 = doc.find(".//h1")
    title = meta.title or (" ".join(h1.text_content().split()) if h1 is not None else "")
    article = Article(
        title=title,
        byline="; ".join(meta.authors),
        venue_line=", ".join(x for x in (meta.venue, str(meta.year or "")) if x),
        abstract=tuple(walker.abstract),
        sections=tuple(walker.sections),
        references=tuple(walker.references),
    )
    return [SourceDocument(doc_id_for(name), file_name(name), "html", render(article), meta)]
